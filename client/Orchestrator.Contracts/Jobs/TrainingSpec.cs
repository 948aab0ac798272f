namespace Orchestrator.Contracts.Jobs;

/// <summary>How long and how to train.</summary>
/// <param name="GlobalBatch">Samples per optimizer step, over all data-parallel replicas.</param>
/// <param name="Steps">Optimizer steps to run.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="TargetLoss">Optional loss to report reaching; training still runs every step.</param>
/// <param name="Seed">Seed of initialisation and data order.</param>
[GenerateSerializer, Immutable]
public sealed record TrainingSpec(
    [property: Id(0)] int GlobalBatch,
    [property: Id(1)] int Steps,
    [property: Id(2)] OptimizerSpec Optimizer,
    [property: Id(3)] double? TargetLoss = null,
    [property: Id(4)] int Seed = 1234);
