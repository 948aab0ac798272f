namespace Orchestrator.Contracts.Jobs;

/// <summary>A pipeline stage's view of one step.</summary>
/// <param name="Attempt">The attempt.</param>
/// <param name="Step">The step.</param>
/// <param name="StepSeconds">Wall time the stage spent on the step.</param>
/// <param name="FirstLayer">First layer the stage holds.</param>
/// <param name="LayerCount">Layers the stage holds.</param>
/// <param name="Ranks">Global ranks in the stage.</param>
/// <param name="Devices">Their devices.</param>
[GenerateSerializer, Immutable]
public sealed record StageReport(
    [property: Id(0)] int Attempt,
    [property: Id(1)] long Step,
    [property: Id(2)] double StepSeconds,
    [property: Id(3)] int FirstLayer,
    [property: Id(4)] int LayerCount,
    [property: Id(5)] IReadOnlyList<int> Ranks,
    [property: Id(6)] IReadOnlyList<string> Devices);
