using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// The scheduler's bound on a preemptor's wait: a victim normally checkpoints and releases its devices within its grace
/// period, but one whose grain or workers cannot be heard from would hold them forever. After
/// <see cref="SchedulerOptions.PreemptionTimeout"/> the scheduler takes the devices back and tells the victim to stop its
/// attempt (it records the event and queues again).
/// </summary>
internal sealed partial class SchedulerGrain
{
    private async Task ReleaseOverdueVictimsAsync(DateTimeOffset now)
    {
        foreach (var done in State.DrainingSince.Keys.Where(p => !State.Draining.ContainsKey(p)).ToList()) State.DrainingSince.Remove(done);
        var timeout = options.Value.PreemptionTimeout;
        var overdue = State.DrainingSince.Where(d => now - d.Value >= timeout).Select(d => d.Key).ToList();
        if (overdue.Count == 0) return;
        var stopped = new List<QueuedJob>();
        foreach (var preemptor in overdue)
        {
            foreach (var victim in State.Draining[preemptor].ToList())
            {
                if (State.Allocations.TryGetValue(victim, out var held)) stopped.Add(held.Job);
                Release(victim);
            }

            State.Draining.Remove(preemptor);
            State.DrainingSince.Remove(preemptor);
        }

        await store.WriteStateAsync(); // persisted before the one-way calls act on it
        var reason = $"it did not checkpoint and release its devices within the preemption timeout ({timeout.TotalSeconds:F0} s)";
        foreach (var victim in stopped)
        {
            LogPreemptionTimedOut(victim.JobId, timeout.TotalSeconds);
            // An evaluation shard stops as soon as it hears of a preemption: it is asked again.
            if (victim.Kind == WorkloadKind.Training) await GrainFactory.GetGrain<IJobGrain>(victim.JobId).StopPreemptedAttemptAsync(reason);
            else await WorkloadGrains.Of(GrainFactory, victim).PreemptAsync(reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "preempted {JobId} did not release its devices within {TimeoutSeconds} s: taken back")]
    private partial void LogPreemptionTimedOut(string jobId, double timeoutSeconds);
}
