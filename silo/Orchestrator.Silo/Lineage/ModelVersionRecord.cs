using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>A node of the lineage graph as persisted: a model version and the checkpoint that holds it.</summary>
/// <param name="Spec">The spec of the job that made it (null for an external version): what a cascade re-runs.</param>
/// <param name="Parent">The version it started from, <c>NAME@N</c>; null for a root.</param>
/// <param name="ParentLayout">The layout the parent was saved under, to tell a reshard.</param>
[GenerateSerializer, Immutable]
internal sealed record ModelVersionRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] int Version,
    [property: Id(2)] string Job,
    [property: Id(3)] long Step,
    [property: Id(4)] int Attempt,
    [property: Id(5)] string Layout,
    [property: Id(6)] string? Parent,
    [property: Id(7)] LineageEdgeKind? ParentEdge,
    [property: Id(8)] string? ParentLayout,
    [property: Id(9)] TrainingJobSpec? Spec,
    [property: Id(10)] DateTimeOffset RegisteredAt)
{
    public string Reference => $"{Name}@{Version}";

    public bool External => Spec is null;

    public bool Resharded => Parent is not null && ParentLayout is not null && ParentLayout != Layout;
}
