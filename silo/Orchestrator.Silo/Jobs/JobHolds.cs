using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>Why an unfinished job is held out of the scheduler's queue, as <c>orch queue</c> and <c>orch jobs</c> show it.</summary>
internal static class JobHolds
{
    public static string? Reason(JobRecord job) => job.State switch
    {
        JobState.Suspended => "suspended; orch resume queues it again",
        JobState.Pending when job.Lifecycle.WaitingFor.Count > 0 => $"waiting for dependencies to succeed: {string.Join(", ", job.Lifecycle.WaitingFor)}",
        _ => null,
    };
}
