using k8s.Models;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Kubernetes.Tests.Fake;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>A gang is all running or torn down: pods that cannot start end the attempt, and the job is requeued.</summary>
public sealed class GangStartTests(ShortStartTimeoutFixture fixture) : IClassFixture<ShortStartTimeoutFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_gang_not_all_running_within_the_start_timeout_is_torn_down_with_the_reason_and_requeued_with_backoff()
    {
        var server = fixture.Server;
        var grains = fixture.Grains;
        // gpu-b's pod cannot be scheduled (as when the device plugin reports fewer GPUs than the node label promised).
        server.Kubelet = async (s, pod) =>
        {
            if (Kubelets.NodeOf(pod) == "gpu-a")
            {
                await Kubelets.RunAsync(s, pod);
                return;
            }

            s.UpdatePod(pod.Metadata.Name, p => p.Status.Conditions =
                [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/2 nodes are available: 1 Insufficient nvidia.com/gpu" }]);
        };
        var id = await K8sJobs.SubmitAsync(grains, K8sJobs.Container("gang", 2, 2, 4, maxAttempts: 3));

        var requeued = await JobWaits.UntilAsync(grains, id, j => j.Attempts.Count >= 1 && j.Attempts[0].Outcome == AttemptOutcome.Failed, Patience);
        Assert.Contains("not running within the start timeout of 2 s (Unschedulable: 0/2 nodes are available: 1 Insufficient nvidia.com/gpu)", requeued.Attempts[0].Reason, StringComparison.Ordinal);
        Assert.Contains(requeued.Events, e => e.To == JobState.Recovering && e.Reason.Contains("retrying in", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => server.Pods.Items().All(p => !p.Metadata.Name.StartsWith($"{id}-a1-", StringComparison.Ordinal)), Patience, () => "attempt 1's pods left");

        // Once the node can take the pod, the requeued job starts whole.
        server.Kubelet = Kubelets.RunAsync;
        var running = await JobWaits.UntilAsync(grains, id, j => j.State == JobState.Running && j.Attempts.Count >= 2, Patience);
        Assert.Equal(2, running.CurrentAttempt!.Nodes.Count);
        await grains.GetGrain<IJobGrain>(id).CancelAsync("done");
    }
}
