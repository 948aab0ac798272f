using static TorchSharp.torch;

namespace Orchestrator.Kernels.Parallel;

/// <summary>
/// A custom autograd function whose forward and backward are given as delegates: the region operators of tensor and
/// sequence parallelism are all "communicate one way forward, the conjugate way backward".
/// </summary>
internal sealed class CommunicationFunction : autograd.SingleTensorFunction<CommunicationFunction>
{
    private const string BackwardKey = "backward";

    public override string Name => "ParallelRegion";

    /// <summary>Applies <paramref name="forward"/> to <paramref name="input"/>; gradients flow through <paramref name="backward"/>.</summary>
    public static Tensor Apply(Tensor input, Func<Tensor, Tensor> forward, Func<Tensor, Tensor> backward) =>
        apply(input, forward, backward);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.save_data(BackwardKey, vars[2]);
        return ((Func<Tensor, Tensor>)vars[1])((Tensor)vars[0]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var backward = (Func<Tensor, Tensor>)ctx.get_data(BackwardKey);
        // The backward communicates, and a lost peer must not end the process from inside the engine.
        return BackwardFailures.Guard(3, () => [backward(grad_output), null!, null!]);
    }
}
