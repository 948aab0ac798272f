using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>The grain behind a queued workload or a worker's assignment, by its kind.</summary>
public static class WorkloadGrains
{
    /// <summary>The workload grain of <paramref name="id"/> of kind <paramref name="kind"/>.</summary>
    public static IWorkloadGrain Of(IGrainFactory grains, string id, WorkloadKind kind) => kind switch
    {
        WorkloadKind.EvaluationShard => grains.GetGrain<IEvaluationShardGrain>(id),
        _ => grains.GetGrain<IJobGrain>(id),
    };

    /// <summary>The workload grain a queued workload names.</summary>
    public static IWorkloadGrain Of(IGrainFactory grains, QueuedJob job) => Of(grains, job.JobId, job.Kind);

    /// <summary>
    /// The workload grain of a worker known only by its key (a pod or a worker adopted after a daemon restart): job ids
    /// never contain '/' (<see cref="JobIdSyntax"/>), evaluation shard keys are always "run/shard".
    /// </summary>
    public static IWorkloadGrain OfKey(IGrainFactory grains, string key) =>
        Of(grains, key, key.Contains('/', StringComparison.Ordinal) ? WorkloadKind.EvaluationShard : WorkloadKind.Training);

    /// <summary>The workload grain a worker's assignment belongs to (an evaluation shard when it carries evaluation work).</summary>
    public static IWorkloadGrain Of(IGrainFactory grains, WorkerAssignment assignment) =>
        Of(grains, assignment.JobId, assignment.Evaluation is null ? WorkloadKind.Training : WorkloadKind.EvaluationShard);
}
