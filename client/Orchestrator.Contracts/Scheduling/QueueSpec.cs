namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// A <c>kind: Queue</c> document: a named queue with quotas per device type, the cohort it shares unused quota with,
/// and its weight in fair sharing (Kueue's ClusterQueue, Cohort and fair-sharing weight).
/// </summary>
/// <param name="Name">Queue name (<see cref="Jobs.QueueNames.Rule"/>); jobs name it in <c>metadata.queue</c>.</param>
/// <param name="Quotas">Quota per device type; a type not listed has a nominal quota of 0.</param>
/// <param name="Cohort">Queues of one cohort lend each other their unused quota; null for a queue on its own.</param>
/// <param name="FairShareWeight">Relative share under the <c>fair-share</c> policy; above 0, 1 when not given.</param>
[GenerateSerializer, Immutable]
public sealed record QueueSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<GpuQuota> Quotas,
    [property: Id(2)] string? Cohort = null,
    [property: Id(3)] double FairShareWeight = 1.0)
{
    /// <summary>The document kind.</summary>
    public const string Kind = "Queue";
}
