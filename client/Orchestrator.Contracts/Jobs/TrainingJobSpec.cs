namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// A <c>kind: TrainingJob</c> document: what a user asked to run. Immutable once submitted. <c>TimeLimit</c>
/// (<c>spec.timeLimit</c>) is the most running time, summed over attempts, before the job fails with
/// <c>TimeLimitExceeded</c> (null: none); <c>DependsOn</c> (<c>spec.dependsOn</c>) names the ids of jobs that must all
/// have succeeded before this one queues (null or empty: none).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrainingJobSpec(
    [property: Id(0)] JobMetadata Metadata,
    [property: Id(1)] ModelSpec Model,
    [property: Id(2)] DataSpec Data,
    [property: Id(3)] TrainingSpec Training,
    [property: Id(4)] ParallelismSpec Parallelism,
    [property: Id(5)] ResourcesSpec Resources,
    [property: Id(6)] CheckpointSpec Checkpoint,
    [property: Id(7)] RuntimeSpec Runtime,
    [property: Id(8)] RestartPolicySpec RestartPolicy,
    [property: Id(9)] TimeSpan? TimeLimit = null,
    [property: Id(10)] IReadOnlyList<string>? DependsOn = null)
{
    /// <summary>The document's apiVersion.</summary>
    public const string ApiVersion = "orchestrator/v1";

    /// <summary>The document's kind.</summary>
    public const string Kind = "TrainingJob";
}
