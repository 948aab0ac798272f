using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Durability;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// The job grain's part in surviving crashes: every unfinished job holds a persistent reminder, so its grain is
/// activated again after its silo died or the daemon restarted (not only when a worker or the scheduler calls it);
/// on such an activation it re-attaches to the attempt's workers that are still alive, or ends the attempt as
/// interrupted (charged to neither its devices nor its restart budget) so that the job resumes from its checkpoint.
/// </summary>
internal sealed partial class JobGrain : IRemindable
{
    private const string ReviveReminder = "job-revive";
    private bool _reminderKept;
    private bool _reminderDropped;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ExpiryReminder)
        {
            await ExpireAsync();
            return;
        }

        // Being activated was the point (OnActivateAsync resumed supervision); a finished job needs no more ticks.
        if (!store.RecordExists || Job.IsTerminal) await DropReminderAsync();
        await ReconcileAsync(wokenByScheduler: false);
    }

    /// <summary>
    /// Brings the scheduler in line with this job's saved state (on each reminder tick and when the scheduler wakes it
    /// at its start): a job that waits for devices but is not queued (a crash between its save and its enqueue) is
    /// queued again; a finished or unknown job that the scheduler still holds is removed. The scheduler wakes the jobs
    /// it holds devices for when it starts: one of those still waiting never received its start (the one-way call was
    /// lost with the crashed daemon), so its stale allocation is given up by queueing it again.
    /// </summary>
    private async Task ReconcileAsync(bool wokenByScheduler)
    {
        if (await ReconcileDependenciesAsync()) return;
        var waits = store.RecordExists && Job.State is JobState.Pending or JobState.Recovering;
        var gone = !store.RecordExists || Job.IsTerminal;
        if (!waits && !gone) return;
        var tracked = await Scheduler.TracksAsync(Id);
        if (waits && (!tracked || wokenByScheduler))
        {
            LogRequeued(Id, Job.State);
            await Scheduler.EnqueueAsync(new QueuedJob(Id, Job.Spec!, Now, null, []));
        }
        else if (gone && tracked)
        {
            await Scheduler.RemoveAsync(Id);
        }
    }

    /// <summary>Called on activation of a job whose attempt was running: re-attach to its workers or end the attempt.</summary>
    private async Task ResumeAfterRestartAsync()
    {
        var current = Job.Current!;
        IReadOnlyList<string>? alive;
        try
        {
            alive = await backend.ReattachAsync(Id, current.Number, current.Nodes, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReattachFailed(e, Id, current.Number);
            alive = null;
        }

        // Null: the backend cannot tell (pods, another machine); the workers' heartbeats or their absence decide.
        if (alive is null) return;
        var lost = current.Nodes.Where(node => !alive.Contains(node)).ToList();
        if (lost.Count == 0)
        {
            Job.Note(Now, $"control plane restarted: re-attached to the running worker(s) on {string.Join(", ", alive)}", current.Number);
            await SaveAsync();
            return;
        }

        var verdict = FailureClassification.Silence(heard: false, resumedAfterRestart: true);
        await FailAttemptAsync(current.Number, $"the worker(s) on {string.Join(", ", lost)} did not outlive the control plane's restart ({verdict.Explanation})",
            verdict.Reason, chargedNode: null);
    }

    /// <summary>Keeps the reminder while the job is unfinished (registered once per activation) and drops it when it ends.</summary>
    private async Task KeepReminderAsync()
    {
        if (Job.IsTerminal)
        {
            await DropReminderAsync();
            return;
        }

        if (_reminderKept) return;
        var period = ServiceProvider.GetRequiredService<IOptions<DurabilityOptions>>().Value.JobReminderPeriod;
        await this.RegisterOrUpdateReminder(ReviveReminder, period, period);
        _reminderKept = true;
    }

    private async Task DropReminderAsync()
    {
        if (_reminderDropped) return;
        if (await this.GetReminder(ReviveReminder) is { } reminder) await this.UnregisterReminder(reminder);
        _reminderDropped = true;
        _reminderKept = false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "job {JobId}: {State} but not queued (a crash before its enqueue?); queued again")]
    private partial void LogRequeued(string jobId, JobState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "job {JobId}: could not look for the workers of attempt {Attempt} after a restart")]
    private partial void LogReattachFailed(Exception exception, string jobId, int attempt);
}
