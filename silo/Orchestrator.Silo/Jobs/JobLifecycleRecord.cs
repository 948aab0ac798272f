namespace Orchestrator.Silo.Jobs;

/// <summary>
/// The persisted state of a job's lifecycle features (time limit, dependencies, bounded history, the paged index),
/// kept apart from <see cref="JobRecord"/>'s core fields.
/// </summary>
[GenerateSerializer]
internal sealed class JobLifecycleRecord
{
    /// <summary>The job index page that lists the job; assigned at its first save.</summary>
    [Id(0)] public int? IndexPage { get; set; }

    /// <summary>Attempt records dropped from the middle of the history (attempt numbers keep counting past them).</summary>
    [Id(1)] public int AttemptsDropped { get; set; }

    /// <summary>How many of the dropped attempts failed: the restart budget counts them still.</summary>
    [Id(2)] public int FailedAttemptsDropped { get; set; }

    /// <summary>Running time of the dropped attempts, for the time limit.</summary>
    [Id(3)] public TimeSpan DroppedRunningTime { get; set; }

    /// <summary>The <c>dependsOn</c> jobs not yet seen to succeed; while any is left the job is not queued.</summary>
    [Id(4)] public List<string> WaitingFor { get; set; } = [];

    /// <summary>Jobs that depend on this one and are told when it finishes.</summary>
    [Id(5)] public List<string> Dependents { get; set; } = [];
}
