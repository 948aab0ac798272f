using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Polls a job until a condition holds, failing with the job's events when it does not in time.</summary>
internal static class JobWaits
{
    public static async Task<JobView> UntilAsync(IGrainFactory grains, string jobId, Func<JobView, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JobView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await grains.GetGrain<IJobGrain>(jobId).GetAsync();
            if (last is not null && condition(last)) return last;
            await Task.Delay(200);
        }

        var history = last is null ? "(no job)" : string.Join("\n", last.Events.Select(e => $"  {e.From} -> {e.To}: {e.Reason}"));
        var queue = await grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
        var entries = string.Join("\n", queue.Waiting.Concat(queue.Running).Select(e => $"  {e.JobId} running={e.Running}: {e.Reason}"));
        throw new TimeoutException($"job {jobId} did not reach the expected condition within {timeout}; state {last?.State}; events:\n{history}\n" +
            $"queue ({queue.FreeDevices}/{queue.TotalDevices} free):\n{entries}");
    }

    public static Task<JobView> UntilStateAsync(IGrainFactory grains, string jobId, JobState state, TimeSpan timeout) =>
        UntilAsync(grains, jobId, j => j.State == state, timeout);
}
