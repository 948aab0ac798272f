using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>
/// Under fair share the scheduler's queue view numbers waiting jobs in the order its next pass tries them. Four CPU
/// devices; queue a (nominal 2) runs a0 on 2, queue b has nominal 0, so every job below waits on quota. Submitted a1,
/// a2, b1, b2 (1 device each): b's share is 0, then 1/2 (of the 2 devices the quotas add up to), then 1 ties a's 1 and
/// the tie goes by name: b1, b2, a1, a2, where priority then submit order would be a1, a2, b1, b2.
/// </summary>
public sealed class FairShareQueueViewTests(FairShareDaemon daemon) : IClassFixture<FairShareDaemon>
{
    [Fact]
    public async Task Orch_queue_positions_follow_the_weighted_dominant_share_order_of_the_next_pass()
    {
        await daemon.Client.ApplyAsync(new SchedulingDocuments(
            [new QueueSpec("a", [new GpuQuota("cpu", 2)]), new QueueSpec("b", [new GpuQuota("cpu", 0)])], []));
        var ids = new[] { "a0", "a1", "a2", "b1", "b2" };
        try
        {
            await Submit("a0", "a", gpus: 2);
            await daemon.LaunchedAsync("a0");
            foreach (var id in ids.Skip(1)) await Submit(id, id[..1], gpus: 1);

            var view = await daemon.Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();

            Assert.Equal(["b1", "b2", "a1", "a2"], view.Waiting.OrderBy(e => e.Position).Select(e => e.JobId));
            Assert.Equal([1, 2, 3, 4], view.Waiting.Select(e => e.Position));
        }
        finally
        {
            foreach (var id in ids) await daemon.Grains.GetGrain<IJobGrain>(id).CancelAsync("test over");
        }
    }

    private Task Submit(string id, string queue, int gpus)
    {
        var spec = TestJobs.Tiny(id, steps: 1000, gpus: gpus);
        return daemon.Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec with { Metadata = spec.Metadata with { Queue = queue } });
    }
}
