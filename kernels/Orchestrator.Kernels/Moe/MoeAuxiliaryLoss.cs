using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Ties an MoE layer's regularisation loss to its output, as Megatron-LM does: forward returns the output unchanged;
/// backward passes the output's gradient through and gives the loss a gradient of 1, so the router learns to balance
/// load without the loss having to travel to the end of the model (or across pipeline stages).
/// </summary>
internal sealed class MoeAuxiliaryLoss : MultiTensorFunction<MoeAuxiliaryLoss>
{
    public override string Name => nameof(MoeAuxiliaryLoss);

    /// <summary><paramref name="output"/>, with <paramref name="regularization"/> (a scalar) joined to its backward.</summary>
    public static Tensor Attach(Tensor output, Tensor regularization) => apply(output, regularization)[0];

    public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
    {
        var regularization = (Tensor)vars[1];
        ctx.save_for_backward([regularization]);
        return [((Tensor)vars[0]).detach().alias()];
    }

    public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var regularization = ctx.get_saved_variables()[0];
        return [grad_outputs[0], ones_like(regularization)];
    }
}
