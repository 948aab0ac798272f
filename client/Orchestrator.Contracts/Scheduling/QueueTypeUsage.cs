namespace Orchestrator.Contracts.Scheduling;

/// <summary>A queue's quota and usage of one device type.</summary>
/// <param name="GpuType">Device type.</param>
/// <param name="Nominal">Nominal quota, or null when the queue has no Queue document.</param>
/// <param name="Used">Devices its jobs hold; a GPU share (<c>resources.gpuFraction</c>) counts as its fraction.</param>
/// <param name="Borrowed">Devices held beyond its nominal quota (lent by its cohort), fractions included.</param>
[GenerateSerializer, Immutable]
public sealed record QueueTypeUsage(
    [property: Id(0)] string GpuType,
    [property: Id(1)] int? Nominal,
    [property: Id(2)] double Used,
    [property: Id(3)] double Borrowed);
