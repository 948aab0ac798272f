namespace Orchestrator.Contracts.Jobs;

/// <summary>A checkpoint of a job as the control plane recorded it when its worker committed it.</summary>
/// <param name="Step">Steps completed when it was taken.</param>
/// <param name="Attempt">The attempt that saved it.</param>
/// <param name="Layout">The layout it was saved under.</param>
/// <param name="CommittedAt">When the commit was reported.</param>
/// <param name="StallSeconds">Time training was blocked by it.</param>
/// <param name="LogicalBytes">Bytes of all its tensors.</param>
/// <param name="WrittenBytes">Bytes new to the store.</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointRecord(
    [property: Id(0)] long Step,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string Layout,
    [property: Id(3)] DateTimeOffset CommittedAt,
    [property: Id(4)] double StallSeconds,
    [property: Id(5)] long LogicalBytes,
    [property: Id(6)] long WrittenBytes);
