using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// The job grain's part in suspending and resuming (Kueue's <c>suspend</c>): a suspended job holds no devices and is
/// not queued; resumed, it queues again and its next attempt restores the newest checkpoint. The attempt a suspend
/// stops ends as preempted, so it never counts against the restart budget.
/// </summary>
internal sealed partial class JobGrain
{
    public async Task<JobView> SuspendAsync(string reason)
    {
        if (!store.RecordExists) throw new JobNotFoundException(Id);
        if (Job.IsTerminal) throw new InvalidOperationException($"job {Id} has finished ({Job.State}); only an unfinished job can be suspended");
        if (Job.State == JobState.Suspended || Job.Preempting is { Suspend: true }) return Job.ToView(Id, Now);
        if (Job.Current is { Outcome: AttemptOutcome.Running } current)
        {
            if (Job.State == JobState.Running && backend.WorkersCheckpoint)
            {
                // As for a preemption: the workers checkpoint at their next report and stop (FinishPreemptionAsync then
                // suspends); the supervision timer stops them regardless after the grace period. A preemption already
                // under way becomes a suspension.
                var grace = checkpointing.Value.PreemptionGracePeriod;
                Job.Preempting = Job.Preempting is { } preempting ? preempting with { Suspend = true } : new PreemptionRequest(reason, Now + grace, Suspend: true);
                Job.Note(Now, $"suspend requested ({reason}): saving a checkpoint before stopping (grace {grace.TotalSeconds:F0} s)", current.Number);
                await SaveAsync();
                return Job.ToView(Id, Now);
            }

            await FinishSuspensionAsync(current.Number, reason);
            return Job.ToView(Id, Now);
        }

        // Waiting: in the queue, in restart backoff, or for its dependencies.
        Job.Transition(JobState.Suspended, Now, $"suspended: {reason}");
        await SaveAsync();
        await Scheduler.RemoveAsync(Id);
        return Job.ToView(Id, Now);
    }

    public async Task<JobView> ResumeAsync(string reason)
    {
        if (!store.RecordExists) throw new JobNotFoundException(Id);
        if (Job.IsTerminal) throw new InvalidOperationException($"job {Id} has finished ({Job.State}); only a suspended job can be resumed");
        if (Job.Preempting is { Suspend: true })
            throw new InvalidOperationException($"job {Id} is still saving its checkpoint to suspend; resume it once it is Suspended");
        if (Job.State != JobState.Suspended) return Job.ToView(Id, Now);
        var from = Job.LastCheckpointStep > 0 ? $"its next attempt restores the checkpoint of step {Job.LastCheckpointStep}" : "no checkpoint yet: it starts from step 0";
        Job.Transition(JobState.Pending, Now, $"resumed: {reason}; {from}");
        await SaveAsync();
        await QueueAfterDependenciesAsync(announce: false);
        return Job.ToView(Id, Now);
    }

    /// <summary>Ends the running attempt as preempted and releases its devices, leaving the job Suspended.</summary>
    private async Task FinishSuspensionAsync(int attempt, string reason)
    {
        StopSupervision();
        Job.EndAttempt(AttemptOutcome.Preempted, $"suspended: {reason}", Now);
        Job.Transition(JobState.Suspended, Now, $"suspended: {reason}; devices released");
        await SaveAsync();
        await backend.StopAsync(Id, attempt, CancellationToken.None);
        await Scheduler.RemoveAsync(Id);
    }
}
