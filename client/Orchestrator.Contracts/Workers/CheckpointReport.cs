namespace Orchestrator.Contracts.Workers;

/// <summary>A checkpoint a worker committed to the store.</summary>
/// <param name="Step">Steps completed when it was taken.</param>
/// <param name="Layout">The layout it was saved under, e.g. <c>t2·p2·d1</c>.</param>
/// <param name="StallSeconds">Time training was blocked (the snapshot, phase 1).</param>
/// <param name="WriteSeconds">Background time to hash, write and commit (phase 2).</param>
/// <param name="LogicalBytes">Bytes of all its tensors.</param>
/// <param name="WrittenBytes">Bytes new to the store (the rest was deduplicated).</param>
/// <param name="Final">True for the checkpoint saved when training finished or before preemption.</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointReport(
    [property: Id(0)] long Step,
    [property: Id(1)] string Layout,
    [property: Id(2)] double StallSeconds,
    [property: Id(3)] double WriteSeconds,
    [property: Id(4)] long LogicalBytes,
    [property: Id(5)] long WrittenBytes,
    [property: Id(6)] bool Final = false);
