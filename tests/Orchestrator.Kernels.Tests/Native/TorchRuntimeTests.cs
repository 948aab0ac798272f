using Orchestrator.Kernels.Native;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Native;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Matmul_and_autograd_work_after_EnsureLoaded()
    {
        TorchRuntime.EnsureLoaded();

        using var x = tensor(new float[] { 1, 2, 3, 4 }, 2, 2).requires_grad_(true);
        using var w = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var y = x.matmul(w);
        using var loss = y.sum();
        loss.backward();

        Assert.Equal(new float[] { 19, 22, 43, 50 }, y.data<float>().ToArray());
        // d(sum(x·w))/dx[i,k] = sum_j w[k,j]: rows of w summed.
        Assert.Equal(new float[] { 11, 15, 11, 15 }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void EnsureLoaded_leaves_the_loaded_glue_library_weak_only_when_it_applied_the_remedy()
    {
        var report = TorchRuntime.EnsureLoaded();

        Assert.Same(report, TorchRuntime.EnsureLoaded());
        if (report.RemedyApplied)
        {
            Assert.True(File.Exists(report.ShimPath));
            var image = File.ReadAllBytes(report.GlueLibraryPath!);
            Assert.True(ElfVersionPatcher.IsRequirementWeak(image, TorchRuntime.MissingVersion));
        }
        else
        {
            Assert.Null(report.GlueLibraryPath);
        }
    }
}
