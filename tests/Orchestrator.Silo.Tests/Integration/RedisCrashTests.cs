using System.Diagnostics;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// Redis mode, two silos as processes: the silo that hosts a running job's grain (and launched its worker) is killed
/// with SIGKILL. The job's grain comes back on the survivor, which re-attaches to the worker; the job finishes and
/// nothing runs twice.
/// </summary>
public sealed class RedisCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Killing_the_silo_that_hosts_a_running_job_gets_it_supervised_again_and_finished_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var data = TestJobs.TemporaryDirectory("redis-crash");
        var silos = new List<DaemonProcess>();
        string? id = null;
        try
        {
            for (var i = 0; i < 2; i++) silos.Add(await DaemonProcess.StartAsync(DaemonHost.Options(data, ClusterMode.Redis, redis.ConnectionString), DaemonCrashTests.QuickSupervision));
            var options = DaemonHost.Options(data, ClusterMode.Redis, redis.ConnectionString);
            await using var client = await DaemonHost.ConnectAsync(options);
            id = (await client.SubmitAsync(TestJobs.Tiny("failover", steps: 100) with { Checkpoint = new CheckpointSpec(EverySteps: 10) })).Id;
            await JobWaits.UntilAsync(client.Grains, id, j => j.Progress is { Step: > 10 and < 80 }, Patience);

            // The worker's parent is the silo whose grain activation launched it.
            var worker = Assert.Single(WorkerProcesses.Of(id));
            var host = silos.Single(s => s.ProcessId == ParentOf(worker));
            await host.KillAsync();

            var supervised = await EventuallyAsync(client, id, j => j.Events.Any(e => e.Reason.Contains("re-attached", StringComparison.Ordinal)) || j.Attempts.Count > 1);
            var finished = await EventuallyAsync(client, id, j => j.State == JobState.Succeeded);
            Assert.Single(finished.Attempts, a => a.Outcome == AttemptOutcome.Succeeded);
            for (var n = 1; n < finished.Attempts.Count; n++)
                Assert.True(finished.Attempts[n - 1].EndedAt <= finished.Attempts[n].StartedAt, $"attempts {n} and {n + 1} overlap");
            Assert.DoesNotContain(finished.Attempts, a => a.Outcome == AttemptOutcome.Failed);
            Assert.NotNull(supervised);
        }
        finally
        {
            foreach (var silo in silos) await silo.DisposeAsync();
            if (id is not null)
            {
                foreach (var pid in WorkerProcesses.Of(id)) Process.GetProcessById(pid).Kill();
            }
        }
    }

    /// <summary>Polls through the failover, when calls can fail until the dead silo is declared dead.</summary>
    private static async Task<JobView> EventuallyAsync(Client.OrchestratorClient client, string id, Func<JobView, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        JobView? last = null;
        Exception? error = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await client.GetAsync(id);
                if (condition(last)) return last;
            }
            catch (Exception e) when (e is not JobNotFoundException)
            {
                error = e;
            }

            await Task.Delay(500);
        }

        var history = last is null ? "(never read)" : string.Join("\n", last.Events.Select(e => $"  {e.From} -> {e.To}: {e.Reason}"));
        throw new TimeoutException($"job {id}: condition not reached within {Patience}; last error: {error?.Message}; events:\n{history}");
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
