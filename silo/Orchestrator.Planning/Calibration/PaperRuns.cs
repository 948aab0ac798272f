using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;
using Orchestrator.Planning.Tables;

namespace Orchestrator.Planning.Calibration;

/// <summary>
/// The 2021–2022 Megatron-LM runs the constants are fitted to (<c>Calibration/Published</c>): GPT models with
/// vocabulary 51200 and sequence 2048 in FP16 on A100-80GB nodes, with the options those runs used set explicitly
/// (unfused attention, GeLU, tied embeddings, 16-bit gradients, no overlapped communication, no distributed optimizer).
/// </summary>
internal static class PaperRuns
{
    public const int Sequence = 2048;
    public const int Vocabulary = 51200;
    public const string WeakScalingTable = "megatron-a100-weak-scaling";
    public const string Table5Table = "korthikanti-table5-iteration-times";

    private static readonly TrainingShape NoOverlap = new(1, OverlapGradientReduce: false, OverlapParameterGather: false, OverlapTensorCommunication: false, Fp32MainGradients: false);

    public static EmbeddedCsv WeakScalingRows { get; } = EmbeddedCsv.Load($"Calibration.Published.{WeakScalingTable}.csv");

    public static EmbeddedCsv Table5Rows { get; } = EmbeddedCsv.Load($"Calibration.Published.{Table5Table}.csv");

    public static TransformerModel Model(CsvRow row) =>
        new(row.Int("layers"), row.Int("hidden"), row.Int("heads"), Sequence, Vocabulary, Precision: Precision.Fp16, FlashAttention: false);

    public static TrainingShape Training(int globalBatch) => NoOverlap with { GlobalBatch = globalBatch };

    /// <summary>
    /// A weak-scaling row with the paper's tensor and pipeline sizes and full recomputation; the micro-batch (not
    /// published) is left to the search, as the paper tuned it.
    /// </summary>
    public static PlanningRequest WeakScaling(CsvRow row) =>
        new(Model(row), Training(row.Int("global_batch")), PlanningCluster.ForGpuType("a100-80gb", row.Int("gpus")))
        {
            TensorParallelSize = row.Int("tensor"),
            PipelineParallelSize = row.Int("pipeline"),
            ContextParallelSize = 1,
            VirtualStages = 1,
            Recompute = RecomputeMode.Full,
            SequenceParallel = false,
            ShardOptimizer = false,
            MaxIdleFraction = 0,
        };

    /// <summary>A Korthikanti Table 5 entry in one of its two modes, as a request and the fixed choice.</summary>
    public static (PlanningRequest Request, LayoutChoice Choice) Table5(CsvRow row, bool sequenceParallelSelective)
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
        var request = new PlanningRequest(Model(row), Training(row.Int("global_batch")), PlanningCluster.ForGpuType("a100-80gb", row.Int("gpus")));
        return (request, choice);
    }

    /// <summary>The ten weak-scaling rows: hardware TFLOP/s per GPU.</summary>
    public static IReadOnlyList<CalibrationPoint> WeakScalingPoints() =>
    [
        .. WeakScalingRows.Rows.Select(row => new CalibrationPoint(
            WeakScalingTable, row.Text("name"), row.Number("tflops_per_gpu"), "hardware TFLOP/s per GPU",
            constants => LayoutSearch.Search(WeakScaling(row) with { Constants = constants }).Best.Cost.HardwareTflopsPerGpu)),
    ];

    /// <summary>The eight Table 5 entries (four models, two modes): seconds per iteration.</summary>
    public static IReadOnlyList<CalibrationPoint> Table5Points() =>
    [
        .. Table5Rows.Rows.SelectMany(row => new[] { (false, "full_recompute_seconds", "full"), (true, "sp_selective_seconds", "sp-selective") }
            .Select(mode => new CalibrationPoint(
                Table5Table, $"{row.Text("name")} {mode.Item3}", row.Number(mode.Item2), "seconds per iteration",
                constants =>
                {
                    var (request, choice) = Table5(row, mode.Item1);
                    return LayoutSearch.Evaluate(request with { Constants = constants }, choice).IterationSeconds;
                }))),
    ];
}
