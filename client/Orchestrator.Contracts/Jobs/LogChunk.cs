namespace Orchestrator.Contracts.Jobs;

/// <summary>A piece of worker output.</summary>
/// <param name="Text">The text read.</param>
/// <param name="NextOffset">Offset to ask for next (for following).</param>
/// <param name="Attempt">The attempt the output belongs to.</param>
/// <param name="Complete">True when the attempt has ended and nothing more will be written.</param>
[GenerateSerializer, Immutable]
public sealed record LogChunk(
    [property: Id(0)] string Text,
    [property: Id(1)] long NextOffset,
    [property: Id(2)] int Attempt,
    [property: Id(3)] bool Complete);
