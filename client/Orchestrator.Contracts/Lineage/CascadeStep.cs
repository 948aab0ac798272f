namespace Orchestrator.Contracts.Lineage;

/// <summary>One job of an update cascade.</summary>
/// <param name="Index">Its position in the plan, from 1; a step runs only after the step it depends on.</param>
/// <param name="Kind">Re-derive a descendant or re-run an evaluation.</param>
/// <param name="Replaces">The old version this step re-derives (<see cref="CascadeStepKind.Derive"/>) or whose evaluation it re-runs.</param>
/// <param name="OriginalJob">The job that made <paramref name="Replaces"/> (or ran the evaluation), whose spec is re-run.</param>
/// <param name="DependsOn">The step whose new version this one starts from; null when it starts from the cascade's trigger.</param>
/// <param name="Job">The job submitted for it; null until it is submitted (always null in a dry run).</param>
/// <param name="Produced">The new version it made (<c>NAME@N</c>), or the version it evaluated; null until done.</param>
/// <param name="State">Planned, waiting, submitted, done or failed (with the reason).</param>
[GenerateSerializer, Immutable]
public sealed record CascadeStep(
    [property: Id(0)] int Index,
    [property: Id(1)] CascadeStepKind Kind,
    [property: Id(2)] string Replaces,
    [property: Id(3)] string OriginalJob,
    [property: Id(4)] int? DependsOn,
    [property: Id(5)] string? Job,
    [property: Id(6)] string? Produced,
    [property: Id(7)] string State);
