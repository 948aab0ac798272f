using static TorchSharp.torch;

namespace Orchestrator.Kernels.Parallel;

/// <summary>
/// Full recomputation: runs a layer without recording its graph, keeps only its input, and in the backward pass runs
/// the layer again with the graph and back-propagates through it (parameter gradients accumulate as usual).
/// </summary>
internal sealed class LayerRecomputeFunction : autograd.SingleTensorFunction<LayerRecomputeFunction>
{
    private const string LayerKey = "layer";

    public override string Name => nameof(LayerRecomputeFunction);

    public static Tensor Apply(Tensor input, Func<Tensor, Tensor> layer) => apply(input, layer);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        ctx.save_data(LayerKey, vars[1]);
        ctx.save_for_backward([input]);

        // Nothing is recorded here, so the layer's intermediates are garbage at once: free them now, not at GC time.
        using var scope = NewDisposeScope();
        return ((Func<Tensor, Tensor>)vars[1])(input).MoveToOuterDisposeScope();
    }

    // The recomputed forward communicates (tensor-parallel regions): guarded as CommunicationFunction's backward is.
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) => BackwardFailures.Guard(2, () =>
    {
        var layer = (Func<Tensor, Tensor>)ctx.get_data(LayerKey);
        using var scope = NewDisposeScope();
        var input = ctx.get_saved_variables()[0].detach().requires_grad_(true);
        using (enable_grad())
        {
            autograd.backward([layer(input)], [grad_output]);
        }

        return [input.grad!.clone().MoveToOuterDisposeScope(), null!];
    });
}
