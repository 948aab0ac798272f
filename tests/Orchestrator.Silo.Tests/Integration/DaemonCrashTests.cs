using System.Diagnostics;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// The embedded daemon killed with SIGKILL mid-run and started again: a worker that outlived it is re-attached and
/// trains on; a worker that died with it has its attempt ended as interrupted and the job resumes from its checkpoint.
/// Either way the job finishes with the loss of an uninterrupted run, no device is suspect and no attempt is used up.
/// </summary>
public sealed class DaemonCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    internal static readonly Dictionary<string, string> QuickSupervision = new()
    {
        ["Orchestrator__Supervision__HeartbeatTimeout"] = "00:00:15",
        ["Orchestrator__Supervision__CheckInterval"] = "00:00:00.500",
        ["Orchestrator__Durability__JobReminderPeriod"] = "00:00:05",
    };

    [Fact]
    public async Task A_SIGKILLed_daemon_restarts_reattaches_or_resumes_and_every_job_ends_as_if_never_interrupted()
    {
        var data = TestJobs.TemporaryDirectory("crash");
        var options = DaemonHost.Options(data);
        var spec = TestJobs.Tiny("crash", steps: 60) with { Checkpoint = new CheckpointSpec(EverySteps: 5) };
        var ids = new List<string>();
        string survivor, orphan;
        try
        {
            await using (var first = await DaemonProcess.StartAsync(options, QuickSupervision))
            {
                await using var client = await DaemonHost.ConnectAsync(options);
                survivor = (await client.SubmitAsync(spec with { Metadata = spec.Metadata with { Name = "survivor" } })).Id;
                orphan = (await client.SubmitAsync(spec with { Metadata = spec.Metadata with { Name = "orphan" } })).Id;
                ids.AddRange([survivor, orphan]);
                foreach (var id in new[] { survivor, orphan })
                    await JobWaits.UntilAsync(client.Grains, id, j => j.Checkpoints is { Count: > 0 } && j.Progress is { Step: > 8 and < 45 }, Patience);
                await first.KillAsync();
            }

            // The orphan's worker dies while no daemon runs (a node reboot would do the same); the survivor's trains on.
            foreach (var pid in WorkerProcesses.Of(orphan)) Process.GetProcessById(pid).Kill();

            await using var second = await DaemonProcess.StartAsync(options, QuickSupervision);
            await using var again = await DaemonHost.ConnectAsync(options);
            var reattached = await JobWaits.UntilStateAsync(again.Grains, survivor, JobState.Succeeded, Patience);
            Assert.Single(reattached.Attempts);
            Assert.Contains(reattached.Events, e => e.Reason.Contains("re-attached", StringComparison.Ordinal));
            
            var resumed = await JobWaits.UntilStateAsync(again.Grains, orphan, JobState.Succeeded, Patience);
            Assert.Equal(2, resumed.Attempts.Count);
            Assert.Equal(AttemptOutcome.Interrupted, resumed.Attempts[0].Outcome);
            Assert.True(resumed.Attempts[1].StartStep > 0 && resumed.Attempts[1].StartStep % 5 == 0,
                $"the second attempt resumed at step {resumed.Attempts[1].StartStep}, not at a checkpoint");
            
            var reference = (await again.SubmitAsync(spec with { Metadata = spec.Metadata with { Name = "reference" } })).Id;
            ids.Add(reference);
            var expected = (await JobWaits.UntilStateAsync(again.Grains, reference, JobState.Succeeded, Patience)).Progress!.Loss;

            Assert.Equal(expected, reattached.Progress!.Loss, 6);
            Assert.Equal(expected, resumed.Progress!.Loss, 6);
            foreach (var job in new[] { reattached, resumed })
                Assert.DoesNotContain(job.Attempts, a => a.Outcome == AttemptOutcome.Failed);
            var cluster = await again.GetClusterAsync();
            Assert.All(cluster.Nodes.SelectMany(n => n.Gpus), g => Assert.Equal(GpuHealth.Healthy, g.Health));
        }
        finally
        {
            foreach (var pid in ids.SelectMany(id => WorkerProcesses.Of(id))) Process.GetProcessById(pid).Kill();
        }
    }
}
