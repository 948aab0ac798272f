using Orchestrator.Planning.Model;
using Orchestrator.Planning.Tables;

namespace Orchestrator.Planning.Calibration;

/// <summary>
/// The same two MoE models as the Megatron-Bridge table (<see cref="ModernRuns.MoeTable"/>), Qwen3-30B-A3B and
/// GPT-OSS-120B, trained on the same DGX-H100 hardware with balanced routing by another NVIDIA framework, NeMo
/// AutoModel (FSDP2, Transformer Engine, DeepEP), in BF16. A cross-check, never fitted to: it tells a cost the hardware
/// must pay (both frameworks pay it) from one a framework's software adds (only one does).
/// </summary>
internal static class AutoModelRuns
{
    public const string Table = "automodel-h100-moe";

    public static EmbeddedCsv Rows { get; } = EmbeddedCsv.Load($"Calibration.Published.{Table}.csv");

    /// <summary>
    /// Seconds per iteration from the published tokens per second per GPU, each run priced with its benchmark
    /// configuration's layout and activation checkpointing (column <c>recompute</c>); FSDP is priced as the distributed
    /// optimizer (the file says why) and everything the configurations do not give is the planner's current practice on H100.
    /// </summary>
    public static IReadOnlyList<CalibrationPoint> Points() =>
    [
        .. Rows.Rows.Select(row => ModernRuns.RecipePoint(Table, row, ModernRuns.MoeModel(row),
            new TrainingShape(row.Int("global_batch")),
            Enum.Parse<RecomputeMode>(row.Text("recompute"), ignoreCase: true))),
    ];
}
