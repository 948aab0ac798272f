using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// A submit that is refused stores nothing, by the same rule in the SDK and in the silo; a job that should wait in
/// the scheduler's queue but is not there (as after a crash between its save and its enqueue) is queued again by its
/// own reminder and runs.
/// </summary>
public sealed class PersistBeforeAcknowledgeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_refused_submit_stores_nothing_and_a_job_the_scheduler_lost_is_queued_again()
    {
        var options = DaemonHost.Options(TestJobs.TemporaryDirectory("persist"));
        using var host = await DaemonHost.StartAsync(options, settings: new Dictionary<string, string?> { ["Orchestrator:Durability:JobReminderPeriod"] = "00:00:02" });
        await using var client = await DaemonHost.ConnectAsync(options);

        var longQueue = TestJobs.Tiny("refused") with { Metadata = new JobMetadata("refused", new string('q', 64), 0) };
        var fromSdk = await Assert.ThrowsAsync<JobSpecException>(() => client.SubmitAsync(longQueue));
        // Another client could skip the SDK: the silo refuses by the same rule before it stores anything.
        var fromSilo = await Assert.ThrowsAsync<JobSpecException>(() => client.Grains.GetGrain<IJobGrain>("refused-direct").SubmitAsync(longQueue));
        foreach (var error in new[] { fromSdk, fromSilo })
            Assert.Contains(error.Errors, e => e.Path == "metadata.queue" && e.Message.Contains(QueueNames.Rule, StringComparison.Ordinal));
        Assert.Null(await client.Grains.GetGrain<IJobGrain>("refused-direct").GetAsync());
        Assert.Empty(await client.ListAsync());
        Assert.Empty((await client.GetQueueAsync()).Waiting);

        var holder = (await client.SubmitAsync(TestJobs.Tiny("holder", steps: 40))).Id;
        await JobWaits.UntilStateAsync(client.Grains, holder, JobState.Running, Patience);
        var lost = (await client.SubmitAsync(TestJobs.Tiny("lost", steps: 5, gpus: 2))).Id;
        Assert.Equal(JobState.Pending, (await client.GetAsync(lost)).State);
        await client.Grains.GetGrain<ISchedulerGrain>("default").RemoveAsync(lost);
        Assert.DoesNotContain((await client.GetQueueAsync()).Waiting, e => e.JobId == lost);

        await JobWaits.UntilStateAsync(client.Grains, lost, JobState.Succeeded, Patience);
        await host.StopAsync();
    }
}
