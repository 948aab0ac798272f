using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Simulation.Scenarios;

/// <summary>
/// The scenario's queues as the policy code's quota book: one cohort holding them all, each queue's nominal quota of
/// every pool its weight's share of that pool (the quotas add up to the cluster, so a dominant share is a share of the
/// cluster), lending all of it and borrowing without limit: an idle queue's quota is used by the others and taken
/// back by reclaim when it has work again. Null without queues (queues are then labels).
/// </summary>
internal static class QueueQuotas
{
    public const string Cohort = "cluster";

    public static QuotaBook? Book(SimulationScenario scenario)
    {
        if (scenario.Queues.Count == 0) return null;
        var weights = scenario.Queues.Sum(q => q.Weight);
        var specs = scenario.Queues.Select(q => new QueueSpec(q.Name, [], Cohort, q.Weight)).ToList();
        foreach (var pool in scenario.Cluster.Pools)
        {
            var nominal = scenario.Queues.Select(q => (int)Math.Floor(pool.Gpus * q.Weight / weights)).ToArray();
            nominal[0] += pool.Gpus - nominal.Sum(); // rounding leftovers to the first queue
            for (var i = 0; i < specs.Count; i++) specs[i] = specs[i] with { Quotas = [.. specs[i].Quotas, new GpuQuota(pool.GpuType, nominal[i])] };
        }

        return new QuotaBook(specs);
    }
}
