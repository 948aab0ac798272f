namespace Orchestrator.Contracts.Jobs;

/// <summary>A committed checkpoint as it sits in the checkpoint store.</summary>
/// <param name="Step">Steps completed when it was taken.</param>
/// <param name="Attempt">The attempt that saved it.</param>
/// <param name="Layout">The layout it was saved under.</param>
/// <param name="CreatedAt">When its save began.</param>
/// <param name="LogicalBytes">Bytes of all its tensors (before deduplication).</param>
/// <param name="Tensors">Tensors it holds (parameters and optimizer state).</param>
/// <param name="Pinned">Kept by garbage collection whatever its age.</param>
/// <param name="Error">Why it cannot be read, or null when its manifest reads back.</param>
[GenerateSerializer, Immutable]
public sealed record StoredCheckpoint(
    [property: Id(0)] long Step,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string Layout,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] long LogicalBytes,
    [property: Id(5)] int Tensors,
    [property: Id(6)] bool Pinned,
    [property: Id(7)] string? Error);
