using Orchestrator.Kernels.Communication;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Training;

/// <summary>
/// AdamW over a group of parameters viewed as one flat vector. With a sharding group (ZeRO-1) the gradient is
/// reduce-scattered, a rank keeps moments for and updates only its contiguous slice, then the slices are all-gathered; without, it owns the whole vector. The
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
    private Tensor? gradientSlice;
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

    /// <summary>AdamW steps taken: the t of the bias corrections.</summary>
    public long StepCount => step;

    /// <summary>True with a sharding group (ZeRO-1): gradients are reduce-scattered, each rank keeping its slice.</summary>
    public bool Sharded => shardGroup is not null;

    /// <summary>
    /// ZeRO-1: averages the flat gradient over the sharding group by a reduce-scatter, so this rank receives only the
    /// slice it updates (half the traffic of an all-reduce, and no full reduced gradient is ever materialised). The
    /// parameters' own gradients keep this rank's unreduced contribution. A collective every member must call.
    /// </summary>
    public void ReduceScatterGradients()
    {
        if (shardGroup is null || parameters.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var padding = (sliceLength * shardGroup.Size) - length;
        var flat = Flatten(parameters.Select(p => p.grad ?? zeros_like(p)), padding);
        gradientSlice?.Dispose();
        gradientSlice = shardGroup.ReduceScatter(flat, 0, ReduceOperation.Average).MoveToOuterDisposeScope();
    }

    /// <summary>Sum of squares (float64) of the reduced slice's elements of the parameters <paramref name="counted"/> marks; zero without a slice.</summary>
    public Tensor SliceSquares(IReadOnlyList<bool> counted)
    {
        if (gradientSlice is null)
        {
            return zeros(1, ScalarType.Float64);
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var padding = (sliceLength * shardGroup!.Size) - length;
        var mask = Flatten(parameters.Select((p, i) => counted[i] ? ones_like(p) : zeros_like(p)), padding).narrow(0, sliceStart, sliceLength);
        return (gradientSlice.to(ScalarType.Float64).pow(2) * mask.to(ScalarType.Float64)).sum().reshape(1).MoveToOuterDisposeScope();
    }

    /// <summary>Scales the reduced slice (gradient clipping under ZeRO-1).</summary>
    public void ScaleGradientSlice(double scale)
    {
        using var _ = no_grad();
        gradientSlice?.mul_(scale);
    }

    /// <summary>
    /// Both moments over the whole flat vector (every parameter's elements, in parameter order, no padding), or null
    /// when there are no parameters. Without a sharding group they are views of the live state; under ZeRO-1 the
    /// group's slices are gathered, a collective every member must call. The caller disposes them.
    /// </summary>
    public (Tensor First, Tensor Second)? GatherMoments()
    {
        if (firstMoment is null || secondMoment is null)
        {
            return null;
        }

        if (shardGroup is null)
        {
            return (firstMoment.narrow(0, 0, length), secondMoment.narrow(0, 0, length));
        }

        using var first = shardGroup.AllGather(firstMoment, 0);
        using var second = shardGroup.AllGather(secondMoment, 0);
        return (first.narrow(0, 0, length), second.narrow(0, 0, length));
    }

    /// <summary>
    /// Replaces the state with whole-vector moments (as <see cref="GatherMoments"/> returns them) and the step count;
    /// under ZeRO-1 this rank keeps its slice. Not a collective.
    /// </summary>
    /// <exception cref="ArgumentException">A moment vector does not have one element per parameter element.</exception>
    public void LoadMoments(Tensor? first, Tensor? second, long stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (firstMoment is not null && secondMoment is not null)
        {
            ArgumentNullException.ThrowIfNull(first);
            ArgumentNullException.ThrowIfNull(second);
            if (first.numel() != length || second.numel() != length)
            {
                throw new ArgumentException($"moments must have {length} elements (one per parameter element), got {first.numel()} and {second.numel()}", nameof(first));
            }

            using var scope = NewDisposeScope();
            using var _ = no_grad();
            // The slice may run into the padding past the last parameter, whose moments stay zero.
            var owned = Math.Clamp(length - sliceStart, 0, sliceLength);
            firstMoment.zero_();
            secondMoment.zero_();
            if (owned > 0)
            {
                firstMoment.narrow(0, 0, owned).copy_(first.reshape(-1).narrow(0, sliceStart, owned));
                secondMoment.narrow(0, 0, owned).copy_(second.reshape(-1).narrow(0, sliceStart, owned));
            }
        }

        step = stepCount;
    }

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
        var weights = flatParameters.narrow(0, sliceStart, sliceLength);
        var gradients = gradientSlice ?? Flatten(parameters.Select(p => p.grad ?? zeros_like(p)), padding).narrow(0, sliceStart, sliceLength);

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

        gradientSlice?.Dispose();
        gradientSlice = null;
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
