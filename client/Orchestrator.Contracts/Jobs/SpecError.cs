namespace Orchestrator.Contracts.Jobs;

/// <summary>One thing wrong with a submitted document.</summary>
/// <param name="Path">Field path, e.g. <c>spec.parallelism.tensor</c>.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
/// <param name="Line">Line in the source document (from 1), when known.</param>
[GenerateSerializer, Immutable]
public sealed record SpecError(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message,
    [property: Id(2)] int? Line = null)
{
    /// <inheritdoc />
    public override string ToString() => Line is { } line ? $"{Path}: {Message} (line {line})" : $"{Path}: {Message}";
}
