using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Cost;

/// <summary>Current-scaling FP8 (the Megatron-Bridge "FP8-CS" rows): an amax pass before every cast, no amax history to reduce.</summary>
public sealed class Fp8CurrentScalingTests
{
    private static readonly DeviceKernels Kernels = new(HardwareCatalog.Get("h100-80gb"), Precision.Fp8, CostModelConstants.Default);

    [Fact]
    public void Every_cast_first_reads_its_input_for_the_amax_in_a_kernel_of_its_own()
    {
        var delayed = new Fp8Conversion(Kernels);
        var current = new Fp8Conversion(Kernels, currentScaling: true);
        const double m = 4096, k = 2048;
        // Delayed: cast-transpose 4 bytes per element, one kernel. Current: 2 more bytes (the amax read), one more kernel.
        Assert.Equal(Kernels.Stream(4 * m * k) + Kernels.Launch, delayed.Input(m, k, producedInFp8: false), 12);
        Assert.Equal(Kernels.Stream(6 * m * k) + 2 * Kernels.Launch, current.Input(m, k, producedInFp8: false), 12);
        Assert.Equal(Kernels.Stream(6 * m * k) + 2 * Kernels.Launch, current.OutputGradient(m, k), 12);
        // A producer cannot write FP8 before the amax is known: the LayerNorm's output is cast like any other input.
        Assert.Equal(current.Input(m, k, producedInFp8: false), current.Input(m, k, producedInFp8: true), 12);
        Assert.True(delayed.Input(m, k, producedInFp8: true) < delayed.Input(m, k, producedInFp8: false));
        Assert.Equal(Kernels.Stream(6 * 1e9), current.Weights(1e9), 12);
    }

    [Fact]
    public void Current_scaling_all_reduces_no_amax_history()
    {
        var link = new LinkProfile(450, 2);
        Assert.True(new Fp8Conversion(Kernels).AmaxReduction(96, 64, link) > 0);
        Assert.Equal(0, new Fp8Conversion(Kernels, currentScaling: true).AmaxReduction(96, 64, link));
    }
}
