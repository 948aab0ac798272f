namespace Orchestrator.Contracts.Jobs;

/// <summary>How long and how to train.</summary>
/// <param name="GlobalBatch">Samples per optimizer step, over all data-parallel replicas.</param>
/// <param name="Steps">Optimizer steps to run.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="TargetLoss">Optional loss to report reaching; training still runs every step.</param>
/// <param name="Seed">Seed of initialisation and data order.</param>
/// <param name="Overlap">Which communication overlaps computation; null for current practice on the hardware.</param>
/// <param name="DistributedOptimizer">Optimizer state sharded over the data-parallel ranks (ZeRO-1); null lets the planner choose.</param>
/// <param name="MainGradients">Gradient accumulation and reduction buffers, <c>fp32</c> or <c>half</c> (16-bit); null for fp32.</param>
[GenerateSerializer, Immutable]
public sealed record TrainingSpec(
    [property: Id(0)] int GlobalBatch,
    [property: Id(1)] int Steps,
    [property: Id(2)] OptimizerSpec Optimizer,
    [property: Id(3)] double? TargetLoss = null,
    [property: Id(4)] int Seed = 1234,
    [property: Id(20)] OverlapSpec? Overlap = null,
    [property: Id(21)] bool? DistributedOptimizer = null,
    [property: Id(22)] string? MainGradients = null)
{
    /// <summary>Gradient buffer formats.</summary>
    public static IReadOnlyList<string> MainGradientFormats { get; } = ["fp32", "half"];
}
