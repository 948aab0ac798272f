using Orchestrator.Kernels.Communication;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Parallel;

/// <summary>
/// Cross-entropy over logits whose vocabulary is split across the tensor-parallel group: only a max, the target
/// logit and the sum of exponentials cross ranks (three small all-reduces), never the full logits.
/// </summary>
internal sealed class VocabularyParallelCrossEntropy : autograd.SingleTensorFunction<VocabularyParallelCrossEntropy>
{
    public override string Name => nameof(VocabularyParallelCrossEntropy);

    /// <summary>Per-token loss [tokens] for local logits [tokens, vocabulary/t] whose first column is id <paramref name="vocabularyStart"/>.</summary>
    public static Tensor Apply(Tensor localLogits, Tensor targets, ICommunicator group, long vocabularyStart) =>
        apply(localLogits, targets, group, vocabularyStart);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var logits = (Tensor)vars[0];
        var targets = (Tensor)vars[1];
        var group = (ICommunicator)vars[2];
        var start = (long)vars[3];
        var localSize = logits.shape[1];

        using var max = logits.amax([1L]);
        group.AllReduce(max, ReduceOperation.Max);
        using var shifted = logits - max.unsqueeze(1);

        using var outside = targets.lt(start).logical_or_(targets.ge(start + localSize));
        using var localTargets = (targets - start).masked_fill_(outside, 0);
        using var picked = shifted.gather(1, localTargets.unsqueeze(1)).squeeze(1);
        using var predicted = picked.masked_fill(outside, 0);
        group.AllReduce(predicted);

        var exponentials = shifted.exp();
        using var sum = exponentials.sum(1);
        group.AllReduce(sum);

        var softmax = exponentials.div_(sum.unsqueeze(1));
        using var inside = outside.logical_not().to(logits.dtype);
        var oneHot = zeros_like(logits).scatter_(1, localTargets.unsqueeze(1), inside.unsqueeze(1));
        ctx.save_for_backward([softmax, oneHot]);
        return sum.log() - predicted;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        using var difference = saved[0] - saved[1];
        return [difference.mul(grad_output.unsqueeze(1)), null!, null!, null!];
    }
}
