using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Tests.Metrics;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// What <c>helm upgrade --set silo.replicas=2</c> does to a 3-silo control plane: the StatefulSet stops its last
/// silo. No job is lost, the survivors report 2 silos against 3 expected (the fewer-silos alert), and each
/// silo's readiness follows Redis.
/// </summary>
public sealed class RedisScaleDownTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Three_silos_lose_one_and_every_job_still_finishes_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var data = TestJobs.TemporaryDirectory("scale");
        var options = Enumerable.Range(0, 3).Select(_ =>
        {
            var o = DaemonHost.Options(data, ClusterMode.Redis, redis.ConnectionString);
            o.ClusterId = "scale-" + Path.GetFileName(data);
            o.MetricsPort = FreePorts.Next();
            o.ExpectedSilos = 3;
            return o;
        }).ToList();
        var silos = new List<Microsoft.Extensions.Hosting.IHost>();
        foreach (var o in options) silos.Add(await DaemonHost.StartAsync(o));
        try
        {
            foreach (var o in options) Assert.Equal(200, (await Scrape.GetAsync(o.MetricsPort, "/readyz")).Status);
            await Scrape.UntilAsync(options[0].MetricsPort, t => t.Contains("orchestrator_silos 3"), TimeSpan.FromSeconds(30), "3 active silos");

            await using var client = await DaemonHost.ConnectAsync(options[0]);
            var ids = new List<string>();
            for (var i = 0; i < 2; i++) ids.Add((await client.SubmitAsync(TestJobs.Tiny($"scale{i}", steps: 120) with { Checkpoint = new CheckpointSpec(EverySteps: 10) })).Id);
            foreach (var id in ids) await JobWaits.UntilAsync(client.Grains, id, j => j.Progress is { Step: > 2 }, Patience);

            // Scale down: the StatefulSet removes the highest ordinal, which stops gracefully.
            await silos[2].StopAsync();
            silos[2].Dispose();
            silos.RemoveAt(2);

            foreach (var id in ids)
            {
                var job = await JobWaits.UntilStateAsync(client.Grains, id, JobState.Succeeded, Patience);
                Assert.Single(job.Attempts, a => a.Outcome == AttemptOutcome.Succeeded);
                for (var n = 1; n < job.Attempts.Count; n++)
                    Assert.True(job.Attempts[n - 1].EndedAt <= job.Attempts[n].StartedAt, $"{id}: attempts {n} and {n + 1} overlap");
            }

            Assert.Equal(2, (await client.ListAsync()).Count);
            await Scrape.UntilAsync(options[0].MetricsPort, t => t.Contains("orchestrator_silos 2") && t.Contains("orchestrator_silos_expected 3"), Patience, "2 active silos of 3 expected");

            // While Redis does not answer the survivors are alive but not ready; once it answers again, ready again.
            await redis.SignalAsync("STOP");
            var ready = await UntilReadyAsync(options[0].MetricsPort, 503);
            Assert.Contains("redis: Unhealthy", ready.Body);
            Assert.Equal(200, (await Scrape.GetAsync(options[0].MetricsPort, "/healthz")).Status);
            await redis.SignalAsync("CONT");
            await UntilReadyAsync(options[0].MetricsPort, 200);
        }
        finally
        {
            await redis.SignalAsync("CONT");
            foreach (var silo in silos)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await silo.StopAsync(stop.Token); } catch (OperationCanceledException) { }
                silo.Dispose();
            }
        }
    }

    private static async Task<(int Status, string Body)> UntilReadyAsync(int port, int status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var ready = await Scrape.GetAsync(port, "/readyz");
        while (ready.Status != status && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            ready = await Scrape.GetAsync(port, "/readyz");
        }

        Assert.Equal(status, ready.Status);
        return ready;
    }
}
