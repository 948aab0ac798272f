using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Cost;

/// <summary>Cost terms of current training: overlapped tensor communication, ring attention, FP8, the distributed optimizer.</summary>
public sealed class ModernCostTests
{
    private static readonly TransformerModel Llama70B = new(80, 8192, 64, 8192, 128256, QueryGroups: 8, FfnHidden: 28672, Activation: FfnActivation.Swiglu, UntiedEmbeddings: true);

    private static PlanEstimate Evaluate(LayoutChoice choice, TransformerModel? model = null, TrainingShape? training = null) =>
        LayoutSearch.Evaluate(new PlanningRequest(model ?? Llama70B, training ?? new TrainingShape(64), PlanningCluster.ForGpuType("h100-80gb", choice.Layout.WorldSize)), choice);

    private static LayoutChoice Choice(int context = 1) =>
        new(new ParallelLayout(8, 4, 2, 1, 1, context), 1, RecomputeMode.Selective, SequenceParallel: true, ShardOptimizer: true);

    [Fact]
    public void Overlapping_tensor_communication_hides_most_of_it_behind_the_gemms()
    {
        var exposed = Evaluate(Choice(), training: new TrainingShape(64, OverlapTensorCommunication: false));
        var overlapped = Evaluate(Choice(), training: new TrainingShape(64, OverlapTensorCommunication: true));
        Assert.True(overlapped.Cost.Breakdown.TensorCommunicationSeconds < 0.5 * exposed.Cost.Breakdown.TensorCommunicationSeconds);
        Assert.Equal(exposed.Cost.Breakdown.GemmSeconds, overlapped.Cost.Breakdown.GemmSeconds, 9);
        // Current practice on H100 is the overlapped one.
        Assert.Equal(overlapped.IterationSeconds, Evaluate(Choice()).IterationSeconds, 9);
    }

    [Fact]
    public void Context_parallelism_splits_the_per_gpu_work_and_pays_an_exposed_ring_only_when_attention_is_short()
    {
        var one = Evaluate(Choice(context: 1), training: new TrainingShape(32));
        var two = Evaluate(Choice(context: 2), training: new TrainingShape(32));
        // Twice the GPUs: each does half the GEMM work of a micro-batch.
        Assert.Equal(one.Cost.Breakdown.GemmSeconds / 2, two.Cost.Breakdown.GemmSeconds, one.Cost.Breakdown.GemmSeconds * 0.05);
        Assert.Equal(0, one.Cost.Breakdown.ContextCommunicationSeconds);
        // At 1K tokens the attention is too short to hide the key/value ring across nodes.
        var shortModel = Llama70B with { SequenceLength = 1024 };
        var spread = new LayoutChoice(new ParallelLayout(8, 1, 1, 1, 1, 8), 1, RecomputeMode.None, SequenceParallel: true);
        Assert.True(Evaluate(spread, shortModel, new TrainingShape(8)).Cost.Breakdown.ContextCommunicationSeconds > 0);
    }

    [Fact]
    public void Fp8_gemms_are_faster_but_not_twice_as_fast_and_attention_stays_16_bit()
    {
        var bf16 = Evaluate(Choice());
        var fp8 = Evaluate(Choice(), Llama70B with { Precision = Precision.Fp8 });
        Assert.InRange(fp8.Cost.Breakdown.GemmSeconds / bf16.Cost.Breakdown.GemmSeconds, 0.5, 0.8);
        Assert.Equal(bf16.Cost.Breakdown.AttentionSeconds, fp8.Cost.Breakdown.AttentionSeconds, 9);
    }

    [Fact]
    public void The_distributed_optimizer_gathers_16_bit_parameters_under_the_next_forward_pass_when_asked()
    {
        var training = new TrainingShape(64, OverlapGradientReduce: false, OverlapParameterGather: false);
        var exposed = Evaluate(Choice(), training: training);
        var overlapped = Evaluate(Choice(), training: training with { OverlapParameterGather = true });
        Assert.True(overlapped.Cost.Breakdown.DataCommunicationSeconds < exposed.Cost.Breakdown.DataCommunicationSeconds);
        var fp32 = Evaluate(Choice() with { ShardOptimizer = false }, training: training);
        var half = Evaluate(Choice() with { ShardOptimizer = false }, training: training with { Fp32MainGradients = false });
        Assert.Equal(2, fp32.Cost.Breakdown.DataCommunicationSeconds / half.Cost.Breakdown.DataCommunicationSeconds, 1);
    }
}
