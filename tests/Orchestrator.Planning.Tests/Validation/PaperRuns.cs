using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Planning.Tests.Validation;

/// <summary>
/// The published runs as planning requests: GPT models with vocabulary 51200 and sequence 2048 in fp16 on
/// A100-80GB nodes, data-parallel reduction not overlapped (Megatron-LM of 2021–2022 did not overlap it).
/// </summary>
internal static class PaperRuns
{
    public const int Sequence = 2048;
    public const int Vocabulary = 51200;

    public static TransformerModel Model(AnchorRow row) =>
        new(row.Int("layers"), row.Int("hidden"), row.Int("heads"), Sequence, Vocabulary, Precision: Precision.Fp16);

    /// <summary>
    /// A weak-scaling row with the paper's tensor and pipeline sizes and full recomputation; the micro-batch (not
    /// published) is left to the search, as the paper tuned it.
    /// </summary>
    public static PlanningRequest WeakScaling(AnchorRow row) =>
        new(Model(row), new TrainingShape(row.Int("global_batch"), OverlapGradientReduce: false), PlanningCluster.ForGpuType("a100-80gb", row.Int("gpus")))
        {
            TensorParallelSize = row.Int("tensor"),
            PipelineParallelSize = row.Int("pipeline"),
            VirtualStages = 1,
            Recompute = RecomputeMode.Full,
            SequenceParallel = false,
            ShardOptimizer = false,
        };

    /// <summary>A weak-scaling row's model, batch and GPUs with every choice left to the search.</summary>
    public static PlanningRequest WeakScalingAuto(AnchorRow row) =>
        new(Model(row), new TrainingShape(row.Int("global_batch")), PlanningCluster.ForGpuType("a100-80gb", row.Int("gpus")));

    /// <summary>A Korthikanti Table 5 entry in one of its two modes.</summary>
    public static PlanEstimate Table5(AnchorRow row, bool sequenceParallelSelective)
    {
        var virtualStages = row.Int("virtual_stages");
        var layout = new ParallelLayout(row.Int("tensor"), row.Int("pipeline"), row.Int("gpus") / (row.Int("tensor") * row.Int("pipeline")), 1, virtualStages);
        var choice = new LayoutChoice(
            layout,
            row.Int("micro_batch"),
            sequenceParallelSelective ? RecomputeMode.Selective : RecomputeMode.Full,
            SequenceParallel: sequenceParallelSelective,
            ShardOptimizer: false,
            virtualStages > 1 ? PipelineSchedule.Interleaved : PipelineSchedule.OneForwardOneBackward);
        var request = new PlanningRequest(Model(row), new TrainingShape(row.Int("global_batch"), OverlapGradientReduce: false), PlanningCluster.ForGpuType("a100-80gb", row.Int("gpus")));
        return LayoutSearch.Evaluate(request, choice);
    }
}
