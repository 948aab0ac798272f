using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Tests.Metrics;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// What <c>helm upgrade --set silo.replicas=2</c> does to a 3-silo control plane: the StatefulSet stops its last
/// silo. No job is lost, the survivors report 2 silos against 3 expected (the fewer-silos alert), and each
/// silo's readiness follows Redis.
/// </summary>
public sealed class RedisScaleDownTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Three_silos_lose_one_and_every_job_still_finishes_once()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var redis = await RedisServer.StartAsync();
        var redisRunning = true;
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
            output.WriteLine($"0 {clock.Elapsed}");
            foreach (var o in options) Assert.Equal(200, (await Scrape.GetAsync(o.MetricsPort, "/readyz")).Status);
            await Scrape.UntilAsync(options[0].MetricsPort, t => t.Contains("orchestrator_silos 3"), TimeSpan.FromSeconds(30), "3 active silos");

            output.WriteLine($"1 {clock.Elapsed}");
            await using var client = await DaemonHost.ConnectAsync(options[0]);
            var ids = new List<string>();
            for (var i = 0; i < 2; i++) ids.Add((await client.SubmitAsync(TestJobs.Tiny($"scale{i}", steps: 120) with { Checkpoint = new CheckpointSpec(EverySteps: 10) })).Id);
            foreach (var id in ids) await JobWaits.UntilAsync(client.Grains, id, j => j.Progress is { Step: > 2 }, Patience);

            output.WriteLine($"2 {clock.Elapsed}");
            // Scale down: the StatefulSet removes the highest ordinal, which stops gracefully.
            await silos[2].StopAsync();
            silos[2].Dispose();
            silos.RemoveAt(2);

            output.WriteLine($"3 {clock.Elapsed}");
            foreach (var id in ids)
            {
                var job = await JobWaits.UntilStateAsync(client.Grains, id, JobState.Succeeded, Patience);
                Assert.Single(job.Attempts, a => a.Outcome == AttemptOutcome.Succeeded);
                for (var n = 1; n < job.Attempts.Count; n++)
                    Assert.True(job.Attempts[n - 1].EndedAt <= job.Attempts[n].StartedAt, $"{id}: attempts {n} and {n + 1} overlap");
            }

            output.WriteLine($"4 {clock.Elapsed}");
            Assert.Equal(2, (await client.ListAsync()).Count);
            await Scrape.UntilAsync(options[0].MetricsPort, t => t.Contains("orchestrator_silos 2") && t.Contains("orchestrator_silos_expected 3"), Patience, "2 active silos of 3 expected");

            output.WriteLine($"5 {clock.Elapsed}");
            // Without Redis the survivors are alive but no longer ready.
            await redis.DisposeAsync();
            redisRunning = false;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            var ready = await Scrape.GetAsync(options[0].MetricsPort, "/readyz");
            while (ready.Status == 200 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
                ready = await Scrape.GetAsync(options[0].MetricsPort, "/readyz");
            }

            output.WriteLine($"6 {clock.Elapsed}");
            Assert.Equal(503, ready.Status);
            Assert.Contains("redis: Unhealthy", ready.Body);
            Assert.Equal(200, (await Scrape.GetAsync(options[0].MetricsPort, "/healthz")).Status);
            output.WriteLine($"7 {clock.Elapsed}");
        }
        finally
        {
            foreach (var silo in silos)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await silo.StopAsync(stop.Token); } catch (OperationCanceledException) { }
                silo.Dispose();
            }

            if (redisRunning) await redis.DisposeAsync();
        }
    }
}
