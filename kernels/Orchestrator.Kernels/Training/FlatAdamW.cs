using Orchestrator.Kernels.Communication;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Training;

/// <summary>
/// AdamW over a group of parameters viewed as one flat vector. With a sharding group (ZeRO-1) a rank keeps moments for
/// and updates only its contiguous slice, then the slices are all-gathered; without, it owns the whole vector. The
/// arithmetic is the same either way, and the same as torch.optim.AdamW.
/// </summary>
internal sealed class FlatAdamW
{
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly AdamWOptions options;
    private readonly ICommunicator? shardGroup;
    private readonly long length;
    private readonly long sliceStart;
    private readonly long sliceLength;
    private readonly Tensor? firstMoment;
    private readonly Tensor? secondMoment;
    private long step;

    public FlatAdamW(IReadOnlyList<Parameter> parameters, AdamWOptions options, ICommunicator? shardGroup)
    {
        this.parameters = parameters;
        this.options = options;
        this.shardGroup = shardGroup is { Size: > 1 } ? shardGroup : null;
        length = parameters.Sum(p => p.numel());
        var shards = this.shardGroup?.Size ?? 1;
        var padded = (length + shards - 1) / shards * shards;
        sliceLength = padded / shards;
        sliceStart = sliceLength * (this.shardGroup?.Rank ?? 0);
        if (parameters.Count > 0)
        {
            firstMoment = zeros(sliceLength, ScalarType.Float32, parameters[0].device);
            secondMoment = zeros(sliceLength, ScalarType.Float32, parameters[0].device);
        }
    }

    /// <summary>Floats of optimizer state this rank keeps.</summary>
    public long StateElements => 2 * (firstMoment?.numel() ?? 0);

    public void Step()
    {
        if (parameters.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        step++;
        var padding = (sliceLength * (shardGroup?.Size ?? 1)) - length;
        var flatParameters = Flatten(parameters.Select(p => (Tensor)p), padding);
        var flatGradients = Flatten(parameters.Select(p => p.grad ?? zeros_like(p)), padding);
        var weights = flatParameters.narrow(0, sliceStart, sliceLength);
        var gradients = flatGradients.narrow(0, sliceStart, sliceLength);

        double lr = options.LearningRate, beta1 = options.Beta1, beta2 = options.Beta2;
        weights.mul_(1 - (lr * options.WeightDecay));
        firstMoment!.mul_(beta1).add_(gradients, alpha: 1 - beta1);
        secondMoment!.mul_(beta2).addcmul_(gradients, gradients, value: 1 - beta2);
        var correction1 = 1 - Math.Pow(beta1, step);
        var correction2 = Math.Sqrt(1 - Math.Pow(beta2, step));
        var denominator = secondMoment.sqrt().div_(correction2).add_(options.Epsilon);
        weights.addcdiv_(firstMoment, denominator, value: -lr / correction1);

        var updated = shardGroup is null ? flatParameters : shardGroup.AllGather(weights, 0);
        long offset = 0;
        foreach (var p in parameters)
        {
            var count = p.numel();
            p.copy_(updated.narrow(0, offset, count).view(p.shape));
            offset += count;
        }
    }

    private static Tensor Flatten(IEnumerable<Tensor> tensors, long padding)
    {
        var parts = tensors.Select(t => t.detach().reshape(-1)).ToList();
        if (padding > 0)
        {
            parts.Add(zeros(padding, parts[0].dtype, parts[0].device));
        }

        return cat(parts, 0);
    }
}
