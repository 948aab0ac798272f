using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution.External;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// Infrastructure exits charge devices, node by node. A cluster of its own: the devices it makes suspect would
/// otherwise stay so for the other tests (a suspect device heals only after a quiet period).
/// </summary>
public sealed class InfrastructureExitTests(TwoNodeClusterFixture fixture) : IClassFixture<TwoNodeClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task An_infrastructure_exit_charges_only_the_devices_of_its_node()
    {
        var id = "byo-infra";
        await Grains.GetGrain<IJobGrain>(id).SubmitAsync(TestJobs.Tiny(id, gpus: 2, maxAttempts: 5) with
        {
            Runtime = new RuntimeSpec(null, ["python3", "-c", "import time; time.sleep(600)"]),
        });
        try
        {
            // Two node losses on local-0 (reported as the pod backend would): its device becomes suspect, local-1's does not.
            for (var number = 1; number <= 2; number++)
            {
                var running = await JobWaits.UntilAsync(Grains, id, j => j.State == JobState.Running && j.CurrentAttempt!.Number == number, Patience);
                var attempt = running.CurrentAttempt!;
                var assignment = new WorkerAssignment(id, number, "local-0", attempt.Ranks.Where(r => r.Node == "local-0").ToList(),
                    attempt.Ranks.Count, attempt.Plan, running.Spec, [], "", "", null, 0, Nodes: attempt.Nodes);
                using var relay = new ExternalTrainerRelay(Grains, assignment, TimeProvider.System);
                await relay.OnExitedAsync(-1, ExitCause.Infrastructure, "node local-0 lost (test)");
                await JobWaits.UntilAsync(Grains, id, j => j.Attempts.Count == number && j.Attempts[^1].Outcome == AttemptOutcome.Failed || j.Attempts.Count > number, Patience);
            }

            var job = (await Grains.GetGrain<IJobGrain>(id).GetAsync())!;
            Assert.Contains("an infrastructure failure: charged to the devices of its node", job.Attempts[0].Reason);
            Assert.Equal(GpuHealth.Suspect, await Grains.GetGrain<IGpuGrain>("local-0/0").GetHealthAsync());
            Assert.Equal(GpuHealth.Healthy, await Grains.GetGrain<IGpuGrain>("local-1/0").GetHealthAsync());
        }
        finally
        {
            await Grains.GetGrain<IJobGrain>(id).CancelAsync("test over");
        }
    }
}
