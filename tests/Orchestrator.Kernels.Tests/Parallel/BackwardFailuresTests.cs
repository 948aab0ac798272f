using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Parallel;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>
/// A failure inside a communicating backward (a peer died mid all-reduce) reaches the rank that called backward as an
/// exception; thrown through LibTorch's engine it would end the whole process instead (this host too).
/// </summary>
public sealed class BackwardFailuresTests
{
    [Fact]
    public void A_collective_failure_in_a_region_backward_is_rethrown_by_the_backward_call()
    {
        using var x = randn(3).requires_grad_(true);
        using var y = CommunicationFunction.Apply(x, t => t * 2, _ => throw new CollectiveFailedException("Receive from process 1 failed: Connection reset by peer"));
        using var loss = y.sum();

        var thrown = Assert.Throws<CollectiveFailedException>(() => BackwardFailures.Backward(() => loss.backward()));

        Assert.Contains("Connection reset by peer", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_while_recomputing_a_layer_for_its_backward_is_rethrown_and_a_later_backward_is_not_blamed_for_it()
    {
        using var x = randn(3).requires_grad_(true);
        var communicating = (Func<Tensor, Tensor>)(t => CommunicationFunction.Apply(t, u => u * 3, _ => throw new OperationCanceledException("woken by the abort")));
        using var y = LayerRecomputeFunction.Apply(x, communicating);
        using var loss = y.sum();

        Assert.Throws<OperationCanceledException>(() => BackwardFailures.Backward(() => loss.backward()));

        using var z = randn(3).requires_grad_(true);
        using var fine = CommunicationFunction.Apply(z, t => t * 2, g => g * 2).sum();
        BackwardFailures.Backward(() => fine.backward());
        Assert.Equal(new float[] { 2, 2, 2 }, z.grad!.data<float>().ToArray());
    }
}
