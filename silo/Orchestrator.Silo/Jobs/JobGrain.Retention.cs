using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Durability;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// The job grain's part in bounded state: finished jobs expire after <see cref="JobRetentionOptions.FinishedTtl"/>
/// (a persistent reminder due then) or on <c>orch delete</c>, taking their record, index entry and worker logs; the
/// attempt history keeps the first attempt and the newest ones, with counters for those dropped; the job is listed on
/// one page of the paged job index.
/// </summary>
internal sealed partial class JobGrain
{
    private const string ExpiryReminder = "job-expire";
    private bool _expiryKept;

    private JobRetentionOptions Retention => ServiceProvider.GetRequiredService<IOptions<JobRetentionOptions>>().Value;

    private IJobIndexPageGrain IndexPage => GrainFactory.GetGrain<IJobIndexPageGrain>(Job.Lifecycle.IndexPage!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task DeleteAsync(bool force)
    {
        if (!store.RecordExists) throw new JobNotFoundException(Id);
        if (!Job.IsTerminal)
        {
            if (!force) throw new InvalidOperationException($"job {Id} is {Job.State}: only a finished job can be deleted (--force cancels it first)");
            await CancelAsync("cancelled to be deleted (orch delete --force)");
        }

        await RemoveJobAsync("deleted by request");
    }

    /// <summary>Before the first save: a place on the newest page of the job index.</summary>
    private async Task AssignIndexPageAsync() =>
        Job.Lifecycle.IndexPage ??= await GrainFactory.GetGrain<IJobIndexGrain>("default").AssignPageAsync(Id);

    /// <summary>After each save: tell dependents of a finished job, and keep its expiry reminder.</summary>
    private async Task AfterSaveAsync()
    {
        await NotifyDependentsAsync();
        if (!Job.IsTerminal || _expiryKept) return;
        // Timers (and so reminders' first ticks) reach at most ~49 days ahead: a longer TTL is re-armed when it ticks.
        var due = Job.FinishedAt!.Value + Retention.FinishedTtl - Now;
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : due;
        await this.RegisterOrUpdateReminder(ExpiryReminder, due, ServiceProvider.GetRequiredService<IOptions<DurabilityOptions>>().Value.JobReminderPeriod);
        _expiryKept = true;
    }

    /// <summary>The expiry reminder ticked: remove the job when its time has come, else arm the reminder again.</summary>
    private async Task ExpireAsync()
    {
        if (store.RecordExists && Job.IsTerminal && Job.FinishedAt + Retention.FinishedTtl <= Now)
        {
            await RemoveJobAsync($"expired {Retention.FinishedTtl} after it finished");
            return;
        }

        _expiryKept = false;
        if (store.RecordExists && Job.IsTerminal) await AfterSaveAsync();
        else if (await this.GetReminder(ExpiryReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>Index entry first, then logs and record, reminders last: a crash part-way leaves the reminder to finish it.</summary>
    private async Task RemoveJobAsync(string why)
    {
        await AssignIndexPageAsync(); // a job listed before the index was paged learns its page here
        await IndexPage.RemoveAsync(Id);
        var logs = Directory.GetParent(backend.LogPath(Id, 1, "node"))?.Parent;
        if (logs is { Exists: true } && logs.Name == Id) logs.Delete(recursive: true);
        await store.ClearStateAsync();
        await DropReminderAsync();
        if (await this.GetReminder(ExpiryReminder) is { } reminder) await this.UnregisterReminder(reminder);
        LogRemoved(Id, why);
        DeactivateOnIdle();
    }

    /// <summary>Keeps the first attempt and the newest up to <see cref="JobRetentionOptions.AttemptsKept"/>, counting the dropped.</summary>
    private void TrimAttemptHistory()
    {
        var excess = Job.Attempts.Count - Math.Max(2, Retention.AttemptsKept);
        if (excess <= 0) return;
        var dropped = Job.Attempts.GetRange(1, excess);
        Job.Attempts.RemoveRange(1, excess);
        Job.Lifecycle.AttemptsDropped += excess;
        Job.Lifecycle.FailedAttemptsDropped += dropped.Count(a => a.Outcome == AttemptOutcome.Failed);
        Job.Lifecycle.DroppedRunningTime += dropped.Aggregate(TimeSpan.Zero, (sum, a) => sum + ((a.EndedAt ?? Now) - a.StartedAt));
    }

    /// <summary>Failed attempts over the job's life, those dropped from the history included (the restart budget).</summary>
    private int FailedAttempts() => Job.Lifecycle.FailedAttemptsDropped + Job.Attempts.Count(a => a.Outcome == AttemptOutcome.Failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {JobId}: removed ({Why})")]
    private partial void LogRemoved(string jobId, string why);
}
