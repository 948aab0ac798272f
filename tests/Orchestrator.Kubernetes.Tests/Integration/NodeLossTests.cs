using k8s;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;
using Orchestrator.Kubernetes.Tests.Fake;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>Node changes seen through the node watch: lost nodes end their attempts at once, new nodes are used.</summary>
public sealed class NodeLossTests(KubernetesClusterFixture fixture) : IClassFixture<KubernetesClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private FakeApiServer Server => fixture.Server;

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_node_going_not_ready_ends_its_attempt_within_seconds_and_the_job_resumes_from_its_checkpoint_on_the_other_node()
    {
        Server.Kubelet = Kubelets.RunAsync;
        var id = await K8sJobs.SubmitAsync(Grains, K8sJobs.Container("lost", 2, 2, 2, maxAttempts: 3));
        var running = await JobWaits.UntilAsync(Grains, id, j => j.State == JobState.Running, Patience);
        var first = Assert.Single(running.CurrentAttempt!.Nodes);
        // The job's program commits a checkpoint at step 40 (as the built-in worker reports it; the pod runs no trainer here).
        await Grains.GetGrain<IJobGrain>(id).ReportCheckpointAsync(1, first, new CheckpointReport(40, "t2·p2·d2", 0.1, 0.2, 1024, 1024));

        Server.UpdateNode(first, TestNodes.MarkNotReady);

        // Heartbeats time out only after 60 s: an attempt that ends within 5 s ended through the node watch.
        var ended = await JobWaits.UntilAsync(Grains, id, j => j.Attempts[0].Outcome != AttemptOutcome.Running, TimeSpan.FromSeconds(5));
        Assert.Contains($"node {first} NotReady", ended.Attempts[0].Reason, StringComparison.Ordinal);
        var resumed = await JobWaits.UntilAsync(Grains, id, j => j.Attempts.Count == 2 && j.State == JobState.Running, Patience);
        var second = Assert.Single(resumed.CurrentAttempt!.Nodes);
        Assert.NotEqual(first, second);
        Assert.Equal(40, resumed.CurrentAttempt.StartStep);
        var pod = Assert.Single(Server.Pods.Items(), p => p.Metadata.Name == $"{id}-a2-n0");
        Assert.Equal(second, Kubelets.NodeOf(pod));
        Assert.Equal("40", pod.Spec.Containers[0].Env.Single(e => e.Name == "ORCH_START_STEP").Value);

        // The lost node is shown, not schedulable, with its readiness.
        var cluster = await Grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();
        var lost = cluster.Nodes.Single(n => n.Node.Name == first).Node;
        Assert.False(lost.Schedulable);
        Assert.StartsWith("NotReady", lost.Status, StringComparison.Ordinal);
        await Grains.GetGrain<IJobGrain>(id).CancelAsync("done");
        Server.UpdateNode(first, n => n.Status.Conditions = [new k8s.Models.V1NodeCondition { Type = "Ready", Status = "True" }]);
    }

    [Fact]
    public async Task A_node_added_while_running_is_used_by_the_next_pass_and_a_tainted_or_cordoned_one_is_not()
    {
        Server.Kubelet = Kubelets.RunAsync;
        Server.Nodes.Put(WatchEventType.Added, TestNodes.Gpu("gpu-c", block: "b1", rack: "r1"));
        var tainted = TestNodes.Gpu("gpu-d", block: "b1", rack: "r1");
        tainted.Spec.Taints = [new k8s.Models.V1Taint { Key = "maintenance", Value = "true", Effect = "NoSchedule" }];
        Server.Nodes.Put(WatchEventType.Added, tainted);
        var cordoned = TestNodes.Gpu("gpu-e", block: "b1", rack: "r1");
        cordoned.Spec.Unschedulable = true;
        Server.Nodes.Put(WatchEventType.Added, cordoned);
        var unknown = TestNodes.Gpu("gpu-f", product: "NVIDIA-Mystery-9000");
        Server.Nodes.Put(WatchEventType.Added, unknown);

        ClusterView? cluster = null;
        await Eventually.HoldsAsync(() =>
        {
            cluster = Grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync().GetAwaiter().GetResult();
            return cluster.Nodes.Count >= 6;
        }, Patience, () => $"{cluster?.Nodes.Count} node(s) known");

        var byName = cluster!.Nodes.ToDictionary(n => n.Node.Name, n => n.Node);
        Assert.True(byName["gpu-c"].Schedulable);
        Assert.Equal(("b1", "r1", "h100-80gb", 8), (byName["gpu-c"].Block, byName["gpu-c"].Rack, byName["gpu-c"].GpuType, byName["gpu-c"].GpuCount));
        Assert.False(byName["gpu-d"].Schedulable);
        Assert.Contains("maintenance=true:NoSchedule", byName["gpu-d"].Status, StringComparison.Ordinal);
        Assert.False(byName["gpu-e"].Schedulable);
        Assert.Contains("cordoned", byName["gpu-e"].Status, StringComparison.Ordinal);
        Assert.False(byName["gpu-f"].Schedulable);
        Assert.Contains("'NVIDIA-Mystery-9000'", byName["gpu-f"].Status, StringComparison.Ordinal);

        // Three 8-device jobs: the two original nodes and the new one take one each; nothing lands on the others.
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await K8sJobs.SubmitAsync(Grains, K8sJobs.Container($"fill{i}", 2, 2, 2)));
        var nodes = new List<string>();
        foreach (var id in ids) nodes.Add(Assert.Single((await JobWaits.UntilAsync(Grains, id, j => j.State == JobState.Running, Patience)).CurrentAttempt!.Nodes));
        Assert.Equal(["gpu-a", "gpu-b", "gpu-c"], nodes.Order());
        foreach (var id in ids) await Grains.GetGrain<IJobGrain>(id).CancelAsync("done");
    }
}
