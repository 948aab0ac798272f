using Orchestrator.Kernels.Model;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Parallel;

/// <summary>
/// Selective recomputation: the attention core's score and probability matrices (quadratic in sequence length) are not
/// kept; the backward pass recomputes them from q, k and v.
/// </summary>
internal sealed class AttentionRecomputeFunction : autograd.SingleTensorFunction<AttentionRecomputeFunction>
{
    public override string Name => nameof(AttentionRecomputeFunction);

    public static Tensor Apply(Tensor query, Tensor key, Tensor value) => apply(query, key, value);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.save_for_backward([(Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]]);
        using var scope = NewDisposeScope();
        return AttentionCore.Compute((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]).MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables().Select(t => t.detach().requires_grad_(true)).ToList();
        using (enable_grad())
        {
            var output = AttentionCore.Compute(saved[0], saved[1], saved[2]);
            return autograd.grad([output], saved, [grad_output]).Select(g => g.MoveToOuterDisposeScope()).ToList();
        }
    }
}
