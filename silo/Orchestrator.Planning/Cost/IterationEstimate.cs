namespace Orchestrator.Planning.Cost;

/// <summary>The predicted cost of one training iteration under one layout.</summary>
/// <param name="IterationSeconds">Wall-clock seconds per iteration.</param>
/// <param name="Breakdown">Where the time goes.</param>
/// <param name="ModelTflopsPerGpu">Forward and backward FLOPs per iteration per GPU per second, in TFLOP/s (recomputation not counted).</param>
/// <param name="HardwareTflopsPerGpu">FLOPs actually executed, recomputation included, per GPU per second, in TFLOP/s.</param>
/// <param name="Mfu">Model FLOPs utilisation: <paramref name="ModelTflopsPerGpu"/> over the device's dense peak.</param>
/// <param name="BubbleFraction">Share of the iteration the pipeline spends filling and draining.</param>
/// <param name="MicroBatches">Micro-batches per pipeline per iteration.</param>
/// <param name="LayersPerStage">Layers on each pipeline stage, first to last (all chunks of a rank together).</param>
public sealed record IterationEstimate(
    double IterationSeconds,
    CostBreakdown Breakdown,
    double ModelTflopsPerGpu,
    double HardwareTflopsPerGpu,
    double Mfu,
    double BubbleFraction,
    int MicroBatches,
    IReadOnlyList<int> LayersPerStage);
