using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>What the scheduler needs to know to place a job.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Spec">Its spec (resources, parallelism and model, for the planner).</param>
/// <param name="EnqueuedAt">When it (re)entered the queue.</param>
/// <param name="NotBefore">Earliest time it may start (restart backoff), or null.</param>
/// <param name="AvoidDevices">Devices the job's last attempts failed on; avoided when possible.</param>
/// <param name="Kind">Which grain the scheduler starts and stops: a training job or an evaluation shard (whose
/// <paramref name="Spec"/> is the placement it needs: a fixed tensor-parallel gang, queue and priority).</param>
[GenerateSerializer, Immutable]
public sealed record QueuedJob(
    [property: Id(0)] string JobId,
    [property: Id(1)] TrainingJobSpec Spec,
    [property: Id(2)] DateTimeOffset EnqueuedAt,
    [property: Id(3)] DateTimeOffset? NotBefore,
    [property: Id(4)] IReadOnlyList<string> AvoidDevices,
    [property: Id(5)] WorkloadKind Kind = WorkloadKind.Training);
