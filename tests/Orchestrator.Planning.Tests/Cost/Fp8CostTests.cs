using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Cost;

/// <summary>FP8 as Transformer Engine runs it: faster GEMMs, but casts, transposes, amax reductions and 16-bit parts that do not speed up.</summary>
public sealed class Fp8CostTests
{
    private static readonly GpuModel H100 = HardwareCatalog.Get("h100-80gb");

    private static readonly TransformerModel Llama70B = new(80, 8192, 64, 8192, 128256, QueryGroups: 8, FfnHidden: 28672, Activation: FfnActivation.Swiglu, UntiedEmbeddings: true);

    private static readonly LayoutChoice Layout = new(new ParallelLayout(8, 4, 2), 1, RecomputeMode.Selective, SequenceParallel: true, ShardOptimizer: true);

    private static PlanEstimate Evaluate(TransformerModel model, string gpu = "h100-80gb", LayoutChoice? choice = null)
    {
        choice ??= Layout;
        return LayoutSearch.Evaluate(new PlanningRequest(model, new TrainingShape(64), PlanningCluster.ForGpuType(gpu, choice.Layout.WorldSize)), choice);
    }

    [Fact]
    public void An_fp8_step_of_a_compute_bound_model_is_faster_than_bf16_but_well_short_of_twice_as_fast()
    {
        var bf16 = Evaluate(Llama70B);
        var fp8 = Evaluate(Llama70B with { Precision = Precision.Fp8 });
        Assert.True(fp8.IterationSeconds < bf16.IterationSeconds);
        // The measured FP8 matmul rate is 1.77x the BF16 one; casts, attention, norms and the output layer keep the
        // whole step well above half: a model pricing FP8 as twice the FLOP/s would fail this.
        Assert.InRange(fp8.IterationSeconds / bf16.IterationSeconds, 0.7, 0.85);
        Assert.True(fp8.Cost.Breakdown.Fp8ConversionSeconds > 0.02 * fp8.IterationSeconds);
        Assert.Equal(0, bf16.Cost.Breakdown.Fp8ConversionSeconds);
    }

    [Fact]
    public void What_stays_16_bit_costs_the_same_under_fp8()
    {
        var bf16 = Evaluate(Llama70B);
        var fp8 = Evaluate(Llama70B with { Precision = Precision.Fp8 });
        // Megatron's output layer is outside Transformer Engine; the attention core and the memory-bound kernels stay 16-bit.
        Assert.Equal(bf16.Cost.Breakdown.LogitsAndEmbeddingSeconds, fp8.Cost.Breakdown.LogitsAndEmbeddingSeconds, 9);
        Assert.Equal(bf16.Cost.Breakdown.AttentionSeconds, fp8.Cost.Breakdown.AttentionSeconds, 9);
        Assert.Equal(bf16.Cost.Breakdown.ElementwiseSeconds, fp8.Cost.Breakdown.ElementwiseSeconds, 9);
    }

    [Fact]
    public void A_device_without_fp8_tensor_cores_runs_an_fp8_model_as_bf16()
    {
        var choice = new LayoutChoice(new ParallelLayout(8, 1, 1), 1, RecomputeMode.Selective, SequenceParallel: true);
        var model = Llama70B with { Layers = 8 };
        var fp8 = Evaluate(model with { Precision = Precision.Fp8 }, "a100-80gb", choice);
        Assert.Equal(Evaluate(model, "a100-80gb", choice).IterationSeconds, fp8.IterationSeconds, 9);
        Assert.Equal(0, fp8.Cost.Breakdown.Fp8ConversionSeconds);
    }

    [Fact]
    public void The_conversion_overhead_grows_with_the_number_of_gemms()
    {
        // Same tokens, twice the layers (twice the GEMMs) on one stage: the per-GEMM casts, launches and amax
        // reductions double, the once-per-step weight cast doubles with the weights.
        var choice = new LayoutChoice(new ParallelLayout(8, 1, 1), 1, RecomputeMode.None, SequenceParallel: true);
        var shallow = Evaluate(Llama70B with { Layers = 4, Precision = Precision.Fp8 }, choice: choice);
        var deep = Evaluate(Llama70B with { Layers = 8, Precision = Precision.Fp8 }, choice: choice);
        Assert.InRange(deep.Cost.Breakdown.Fp8ConversionSeconds / shallow.Cost.Breakdown.Fp8ConversionSeconds, 1.9, 2.1);

        // Splitting the same elements over more GEMMs costs a launch per GEMM: the fixed part, not the bytes.
        var kernels = new DeviceKernels(H100, Precision.Fp8, CostModelConstants.Default);
        var conversion = new Fp8Conversion(kernels);
        var one = conversion.Input(8192, 8192, producedInFp8: false);
        var four = 4 * conversion.Input(2048, 8192, producedInFp8: false);
        Assert.Equal(3 * CostModelConstants.Default.KernelLaunchSeconds, four - one, 12);
        // A cast-transpose moves twice the bytes of a transpose alone (when the producer already wrote FP8).
        Assert.True(conversion.Input(8192, 8192, producedInFp8: true) < one);
    }

    [Fact]
    public void Fp8_speeds_a_gemm_up_less_when_its_reduction_is_short()
    {
        var fp8 = new DeviceKernels(H100, Precision.Fp8, CostModelConstants.Default);
        var bf16 = new DeviceKernels(H100, Precision.Bf16, CostModelConstants.Default);
        double Speedup(double k) => bf16.Gemm(16384, 8192, k) / fp8.Gemm(16384, 8192, k);
        // The per-tile epilogue does not speed up with the tensor cores; a deep GEMM approaches the ratio of the
        // measured matmul rates (1,402.6 / 794.5 = 1.77), a shallow one falls further short of it.
        Assert.True(Speedup(8192) > Speedup(128));
        Assert.InRange(Speedup(8192), 1.5, 1.77);
        Assert.Equal(bf16.Gemm(16384, 8192, 8192, sixteenBit: true), fp8.Gemm(16384, 8192, 8192, sixteenBit: true), 12);
    }
}
