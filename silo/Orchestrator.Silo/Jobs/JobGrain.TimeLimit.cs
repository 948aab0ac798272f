using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// The job grain's part in time limits (<c>spec.timeLimit</c>): the running time is summed over attempts, each from its
/// placement to its end (time queued, suspended or in restart backoff does not count); past the limit the attempt is
/// stopped and the job fails with <c>TimeLimitExceeded</c>, charged to neither its devices nor anything else.
/// </summary>
internal sealed partial class JobGrain
{
    /// <summary>Running time of every attempt, those dropped from the history included.</summary>
    private TimeSpan RunningTime() =>
        Job.Lifecycle.DroppedRunningTime + Job.Attempts.Aggregate(TimeSpan.Zero, (sum, a) => sum + ((a.EndedAt ?? Now) - a.StartedAt));

    /// <summary>Checked on each supervision tick: true when the limit was exceeded and the job has been failed for it.</summary>
    private async Task<bool> EnforceTimeLimitAsync(AttemptRecord current)
    {
        if (Job.Spec!.TimeLimit is not { } limit || RunningTime() is var ran && ran <= limit) return false;
        var message = $"TimeLimitExceeded: ran {DescribeTime(ran)} over {Job.Lifecycle.AttemptsDropped + Job.Attempts.Count} attempt(s), past its time limit of {DescribeTime(limit)}";
        StopSupervision();
        Job.EndAttempt(AttemptOutcome.Failed, message, Now);
        Job.Message = message;
        Job.Transition(JobState.Failed, Now, message);
        await SaveAsync();
        await backend.StopAsync(Id, current.Number, CancellationToken.None);
        await Scheduler.ReleaseAsync(Id, current.Number);
        return true;
    }

    private static string DescribeTime(TimeSpan time) => time.TotalHours >= 1 ? $"{time.TotalHours:F2} h" : time.TotalMinutes >= 1 ? $"{time.TotalMinutes:F1} min" : $"{time.TotalSeconds:F1} s";
}
