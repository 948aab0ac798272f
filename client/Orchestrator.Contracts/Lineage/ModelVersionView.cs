namespace Orchestrator.Contracts.Lineage;

/// <summary>A registered model version: a committed checkpoint of a job (or an external one), where it came from and how it scored.</summary>
/// <param name="Name">The model.</param>
/// <param name="Version">The version number, from 1.</param>
/// <param name="Job">The job whose checkpoint holds it.</param>
/// <param name="Step">The checkpoint's step.</param>
/// <param name="Attempt">The attempt that saved the checkpoint.</param>
/// <param name="Layout">The layout it was saved under, e.g. <c>t1·p1·d2</c>.</param>
/// <param name="Parent">The version it was trained or fine-tuned from (<c>NAME@N</c>), or null for a root.</param>
/// <param name="ParentEdge">How it was made from <paramref name="Parent"/>; null for a root.</param>
/// <param name="External">Registered by hand from a checkpoint in the store rather than by a job of the orchestrator.</param>
/// <param name="RegisteredAt">When it was registered.</param>
/// <param name="Tags">Tags pointing at it.</param>
/// <param name="Scores">The latest score of each metric from its evaluations.</param>
/// <param name="LogicalBytes">Bytes of its tensors; 0 when its manifest could not be read.</param>
/// <param name="UniqueBytes">Bytes of chunks no other registered version shares (what deleting it alone would free).</param>
/// <param name="Problem">Why its checkpoint could not be read, or null.</param>
/// <param name="Architecture">The model's shape, from the spec of the job that made it (what the built-in GPT loads it as); null for an external version.</param>
[GenerateSerializer, Immutable]
public sealed record ModelVersionView(
    [property: Id(0)] string Name,
    [property: Id(1)] int Version,
    [property: Id(2)] string Job,
    [property: Id(3)] long Step,
    [property: Id(4)] int Attempt,
    [property: Id(5)] string Layout,
    [property: Id(6)] string? Parent,
    [property: Id(7)] LineageEdgeKind? ParentEdge,
    [property: Id(8)] bool External,
    [property: Id(9)] DateTimeOffset RegisteredAt,
    [property: Id(10)] IReadOnlyList<string> Tags,
    [property: Id(11)] IReadOnlyDictionary<string, double> Scores,
    [property: Id(12)] long LogicalBytes = 0,
    [property: Id(13)] long UniqueBytes = 0,
    [property: Id(14)] string? Problem = null,
    [property: Id(15)] Orchestrator.Contracts.Jobs.ModelSpec? Architecture = null)
{
    /// <summary><c>NAME@VERSION</c>.</summary>
    public string Reference => $"{Name}@{Version}";
}
