using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Redis mode against a real redis-server: two silos and a client; one silo stops mid-flight.</summary>
public sealed class RedisClusterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Stopping_a_silo_loses_no_job_and_runs_none_twice()
    {
        await using var redis = await RedisServer.StartAsync();
        var data = TestJobs.TemporaryDirectory("redis");
        var optionsA = DaemonHost.Options(data, ClusterMode.Redis, redis.ConnectionString);
        var optionsB = DaemonHost.Options(data, ClusterMode.Redis, redis.ConnectionString);
        var siloA = await DaemonHost.StartAsync(optionsA);
        using var siloB = await DaemonHost.StartAsync(optionsB);
        await using var client = await DaemonHost.ConnectAsync(optionsB);

        var running = new List<string>();
        for (var i = 0; i < 2; i++) running.Add((await client.SubmitAsync(TestJobs.Tiny($"run{i}", steps: 150))).Id);
        foreach (var id in running) await JobWaits.UntilAsync(client.Grains, id, j => j.Progress is { Step: > 2 }, Patience);
        var queued = (await client.SubmitAsync(TestJobs.Tiny("waiting", steps: 20, gpus: 2))).Id;
        Assert.Equal(JobState.Pending, (await client.GetAsync(queued)).State);

        await siloA.StopAsync();
        siloA.Dispose();

        foreach (var id in running.Append(queued))
        {
            var job = await JobWaits.UntilStateAsync(client.Grains, id, JobState.Succeeded, Patience);
            Assert.Single(job.Attempts, a => a.Outcome == AttemptOutcome.Succeeded);
            Assert.Single(job.Events, e => e.To == JobState.Succeeded && e.From != e.To);
            for (var n = 1; n < job.Attempts.Count; n++)
            {
                // An attempt starts only after the one before it ended: never two at once.
                Assert.True(job.Attempts[n - 1].EndedAt <= job.Attempts[n].StartedAt, $"{id}: attempts {n} and {n + 1} overlap");
            }

            // Both silos see the same checkpoint store (DATA/checkpoints here, a shared volume on a cluster): a job
            // that had to start again resumed from a checkpoint instead of from step 0.
            if (id != queued && job.Attempts.Count > 1)
                Assert.True(job.Attempts[^1].StartStep > 0, $"{id}: attempt {job.Attempts.Count} started at step 0");
        }

        Assert.Equal(3, (await client.ListAsync()).Count);
    }
}
