using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// <c>resources.gpuFraction</c> jobs through the real scheduler grain on the two-device test cluster: shares stack on
/// one device, a whole-device job never joins them, and the device returns to whole use only when its last tenant leaves.
/// </summary>
public sealed class GpuSharingTests(EmbeddedClusterFixture fixture) : IClassFixture<EmbeddedClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private IGrainFactory Grains => fixture.Grains;

    private async Task<string> SubmitAsync(string name, double? fraction)
    {
        var spec = TestJobs.Tiny(name, steps: 100_000);
        if (fraction is { } f) spec = spec with { Resources = new ResourcesSpec(1, "cpu", null, f) };
        var id = $"{name}-{Guid.NewGuid().ToString("N")[..5]}";
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(spec);
        return id;
    }

    private async Task<string> DeviceOfAsync(string id) =>
        (await JobWaits.UntilAsync(Grains, id, j => j.CurrentAttempt is { Ranks.Count: 1 }, Patience)).CurrentAttempt!.Ranks[0].DeviceId;

    private async Task<string?> HoldersAsync(string device) =>
        (await Grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync()).Nodes.SelectMany(n => n.Gpus).Single(g => g.Id == device).JobId;

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Shares_stack_on_one_device_that_whole_jobs_get_only_after_the_last_share_leaves()
    {
        var shareA = await SubmitAsync("share-a", 0.5);
        var shared = await DeviceOfAsync(shareA);
        var wholeA = await SubmitAsync("whole-a", null);
        Assert.NotEqual(shared, await DeviceOfAsync(wholeA)); // a device with a share is not free for whole use
        var shareB = await SubmitAsync("share-b", 0.5);
        Assert.Equal(shared, await DeviceOfAsync(shareB)); // the other device is held whole: never offered for sharing
        Assert.Equal($"{shareA},{shareB}", await HoldersAsync(shared));
        var wholeB = await SubmitAsync("whole-b", null);
        try
        {
            await Grains.GetGrain<IJobGrain>(shareA).CancelAsync("test ends the first share");

            // The cancelled share's release freed only its half: the device stays held by the other share alone
            // (had the release freed the device, the waiting whole job would have joined it).
            await UntilAsync(async () => await HoldersAsync(shared) == shareB, "only the second share holds the device");
            Assert.Equal(JobState.Pending, (await Grains.GetGrain<IJobGrain>(wholeB).GetAsync())!.State);
            var queue = await Grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
            Assert.Contains(queue.Waiting, e => e.JobId == wholeB);
            // orch queue's usage counts the remaining share by its fraction: half a device plus the whole one.
            Assert.Equal(1.5, queue.Queues!.Single(q => q.Name == "default").Types.Single(t => t.GpuType == "cpu").Used);

            await Grains.GetGrain<IJobGrain>(shareB).CancelAsync("test ends the last share");
            Assert.Equal(shared, await DeviceOfAsync(wholeB)); // the last tenant gone, the device is whole again
        }
        finally
        {
            foreach (var id in new[] { shareA, shareB, wholeA, wholeB })
                await Grains.GetGrain<IJobGrain>(id).CancelAsync("test cleans up");
        }
    }
}
