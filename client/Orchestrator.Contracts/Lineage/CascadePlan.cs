namespace Orchestrator.Contracts.Lineage;

/// <summary>
/// The jobs that re-derive the registered descendants of a model's previous version from a new version, in
/// dependency order: fine-tunes from the new version, their own descendants from those, then the evaluations.
/// </summary>
/// <param name="Id">The cascade's number; 0 for a dry run.</param>
/// <param name="Trigger">The new version, <c>NAME@N</c>.</param>
/// <param name="Previous">The version it supersedes, whose descendants are re-derived.</param>
/// <param name="Steps">The steps, each after the one it depends on.</param>
[GenerateSerializer, Immutable]
public sealed record CascadePlan(
    [property: Id(0)] int Id,
    [property: Id(1)] string Trigger,
    [property: Id(2)] string Previous,
    [property: Id(3)] IReadOnlyList<CascadeStep> Steps);
