namespace Orchestrator.Contracts.Lineage;

/// <summary>An edge of the lineage graph: <paramref name="To"/> was made from <paramref name="From"/> by <paramref name="Job"/>.</summary>
/// <param name="From">The parent model version, <c>NAME@N</c>.</param>
/// <param name="To">The model version made (<c>NAME@N</c>); for <see cref="LineageEdgeKind.EvaluatedBy"/> the evaluation job.</param>
/// <param name="Kind">How it was made.</param>
/// <param name="Job">The job that made it.</param>
/// <param name="Detail">What else is worth saying, e.g. the layouts of a reshard; empty when nothing.</param>
[GenerateSerializer, Immutable]
public sealed record LineageEdge(
    [property: Id(0)] string From,
    [property: Id(1)] string To,
    [property: Id(2)] LineageEdgeKind Kind,
    [property: Id(3)] string Job,
    [property: Id(4)] string Detail = "");
