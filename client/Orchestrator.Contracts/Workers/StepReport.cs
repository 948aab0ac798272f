namespace Orchestrator.Contracts.Workers;

/// <summary>One completed optimizer step as a worker saw it.</summary>
/// <param name="Step">The step number, from 1.</param>
/// <param name="Loss">Training loss of the step.</param>
/// <param name="Tokens">Tokens the step processed over all ranks.</param>
/// <param name="StepSeconds">Wall time of the step.</param>
/// <param name="TokensPerSecond">Tokens over step time.</param>
/// <param name="ModelFlopsUtilization">Model FLOPs per second over the devices' peak (MFU); null when the peak is unknown.</param>
[GenerateSerializer, Immutable]
public sealed record StepReport(
    [property: Id(0)] long Step,
    [property: Id(1)] double Loss,
    [property: Id(2)] long Tokens,
    [property: Id(3)] double StepSeconds,
    [property: Id(4)] double TokensPerSecond,
    [property: Id(5)] double? ModelFlopsUtilization = null);
