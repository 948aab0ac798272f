using Microsoft.Extensions.Hosting;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// The embedded daemon keeps its state on disk: a restarted daemon still knows every job and event. A graceful stop
/// leaves the built-in workers training; the next daemon re-attaches to them.
/// </summary>
public sealed class DaemonRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_restarted_daemon_still_knows_every_job_its_events_and_the_inventory_and_reattaches_to_the_workers_that_trained_on()
    {
        var data = TestJobs.TemporaryDirectory("restart");
        var options = DaemonHost.Options(data);
        string finished, interrupted, queued;
        IReadOnlyList<JobEvent> finishedEvents;

        using (var first = await DaemonHost.StartAsync(options, keepWorkers: true))
        {
            await using var client = await DaemonHost.ConnectAsync(options);
            finished = (await client.SubmitAsync(TestJobs.Tiny("done", steps: 10))).Id;
            finishedEvents = (await JobWaits.UntilStateAsync(client.Grains, finished, JobState.Succeeded, Patience)).Events;
            interrupted = (await client.SubmitAsync(TestJobs.Tiny("long", steps: 300, gpus: 2))).Id;
            await JobWaits.UntilAsync(client.Grains, interrupted, j => j.Progress is { Step: > 2 }, Patience);
            queued = (await client.SubmitAsync(TestJobs.Tiny("queued", steps: 10, gpus: 2))).Id;
            await first.StopAsync();
        }

        using var second = await DaemonHost.StartAsync(options, keepWorkers: true);
        await using var again = await DaemonHost.ConnectAsync(options);
        var cluster = await again.GetClusterAsync();
        Assert.Equal(2, cluster.Total);
        var listed = (await again.ListAsync()).Select(j => j.Id).ToHashSet();
        Assert.Superset(new HashSet<string> { finished, interrupted, queued }, listed);

        var kept = await again.GetAsync(finished);
        Assert.Equal(JobState.Succeeded, kept.State);
        Assert.Equal(finishedEvents, kept.Events);

        var recovered = await JobWaits.UntilStateAsync(again.Grains, interrupted, JobState.Succeeded, Patience);
        Assert.Single(recovered.Attempts);
        Assert.Contains(recovered.Events, e => e.Reason.Contains("re-attached", StringComparison.Ordinal));
        await JobWaits.UntilStateAsync(again.Grains, queued, JobState.Succeeded, Patience);
        await second.StopAsync();
    }
}
