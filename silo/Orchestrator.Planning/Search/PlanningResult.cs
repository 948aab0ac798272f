namespace Orchestrator.Planning.Search;

/// <summary>The outcome of a layout search.</summary>
/// <param name="Best">The plan predicted fastest among those that fit.</param>
/// <param name="Alternatives">The next fastest plans, fastest first.</param>
/// <param name="RejectionCounts">Candidates set aside, by <see cref="RejectionReason"/> name.</param>
/// <param name="Evaluated">Candidates that fit and were priced.</param>
public sealed record PlanningResult(
    PlanEstimate Best,
    IReadOnlyList<PlanEstimate> Alternatives,
    IReadOnlyDictionary<string, int> RejectionCounts,
    int Evaluated);
