using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

internal static class TensorAssert
{
    /// <summary>max |actual - expected| ≤ tolerance · max |expected| (relative to the tensor's scale).</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = Math.Max(expected.abs().max().item<float>(), 1e-12f);
        var error = (actual - expected).abs().max().item<float>();
        Assert.True(error <= tolerance * scale, $"{what}: max error {error:G3} exceeds {tolerance:G3} × scale {scale:G3}");
    }
}
