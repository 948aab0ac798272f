using k8s.Models;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Kubernetes.Tests.Fake;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>Jobs run as pods on the fake API server: what is created, how pod ends become job events, and cleanup.</summary>
public sealed class PodBackendTests(KubernetesClusterFixture fixture) : IClassFixture<KubernetesClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private FakeApiServer Server => fixture.Server;

    private IGrainFactory Grains => fixture.Grains;

    private List<V1Pod> PodsOf(string jobId) => Server.Pods.Items().Where(p => p.Metadata.Annotations["orchestrator.io/job-id"] == jobId).ToList();

    [Fact]
    public async Task A_t2_p2_d4_job_on_two_nodes_of_eight_creates_two_pinned_pods_and_one_headless_service_and_succeeds_when_they_do()
    {
        Server.Kubelet = Kubelets.RunThenExit(0);
        var created = Server.PodsCreated;
        var id = await K8sJobs.SubmitAsync(Grains, K8sJobs.Container("gpt", 2, 2, 4));
        await Eventually.HoldsAsync(() => PodsOf(id).Count == 2, Patience, () => $"{PodsOf(id).Count} pod(s)");
        var pods = PodsOf(id).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        var service = Assert.Single(Server.Services.Items(), s => s.Metadata.Annotations["orchestrator.io/job-id"] == id);

        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);

        Assert.Equal(2, Server.PodsCreated - created);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(service.Spec.PublishNotReadyAddresses);
        Assert.Equal(["gpu-a", "gpu-b"], pods.Select(Kubelets.NodeOf).Order());
        var master = $"{pods[0].Metadata.Name}.{service.Metadata.Name}.training.svc";
        for (var rank = 0; rank < 2; rank++)
        {
            var pod = pods[rank];
            var container = Assert.Single(pod.Spec.Containers);
            var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
            Assert.Equal($"{service.Metadata.Name}-n{rank}", pod.Metadata.Name);
            Assert.Equal("8", container.Resources.Limits["nvidia.com/gpu"].ToString());
            Assert.Equal(K8sJobs.Image, container.Image);
            Assert.Equal(["python", "train.py"], container.Command);
            Assert.Equal(["--epochs", "1"], container.Args);
            Assert.Equal(master, env["MASTER_ADDR"]);
            Assert.Equal(rank.ToString(System.Globalization.CultureInfo.InvariantCulture), env["NODE_RANK"]);
            Assert.Equal(("16", "2", "8"), (env["WORLD_SIZE"], env["NNODES"], env["NPROC_PER_NODE"]));
            Assert.Equal(("2", "2", "4"), (env["ORCH_TENSOR"], env["ORCH_PIPELINE"], env["ORCH_DATA"]));
            Assert.Equal("WARN", env["NCCL_DEBUG"]);
            Assert.StartsWith("/checkpoints/", env["ORCH_CHECKPOINT_DIR"], StringComparison.Ordinal);
            Assert.Equal("checkpoints", Assert.Single(pod.Spec.Volumes).PersistentVolumeClaim.ClaimName);
            Assert.Equal("/checkpoints", Assert.Single(container.VolumeMounts).MountPath);
            Assert.Equal(pod.Metadata.Name, pod.Spec.Hostname);
            Assert.Equal(service.Metadata.Name, pod.Spec.Subdomain);
            Assert.Equal(120, pod.Spec.TerminationGracePeriodSeconds);
            Assert.Equal("Never", pod.Spec.RestartPolicy);
            Assert.Equal(service.Metadata.Uid, Assert.Single(pod.Metadata.OwnerReferences).Uid);
            Assert.Equal(("orchestrator", "1", rank.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (pod.Metadata.Labels["app.kubernetes.io/managed-by"], pod.Metadata.Labels["orchestrator.io/attempt"], pod.Metadata.Labels["orchestrator.io/node-rank"]));
            Assert.Contains("placement is by count per node", pod.Metadata.Annotations["orchestrator.io/placement"], StringComparison.Ordinal);
        }

        // Progress came from the pod log's ORCH_PROGRESS lines (node rank 0), relayed to the job.
        Assert.Equal(10, job.Progress!.Step);
        Assert.Single(job.Attempts);
        Assert.Contains(job.Events, e => e.Attempt == 1 && e.Reason.StartsWith("pods ask for nvidia.com/gpu by count per node", StringComparison.Ordinal));
        // The finished attempt's objects are gone, and its output stays readable from the copy the log pump kept.
        await Eventually.HoldsAsync(() => PodsOf(id).Count == 0 && Server.Services.Items().All(s => s.Metadata.Annotations["orchestrator.io/job-id"] != id),
            Patience, () => $"{PodsOf(id).Count} pod(s) left");
        var log = await Grains.GetGrain<IJobGrain>(id).ReadLogAsync(1, 0, 0);
        Assert.Contains("ORCH_PROGRESS step=10", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_job_deletes_its_pods_and_service()
    {
        Server.Kubelet = Kubelets.RunAsync;
        var id = await K8sJobs.SubmitAsync(Grains, K8sJobs.Container("cancel", 2, 2, 4));
        await Eventually.HoldsAsync(() => PodsOf(id).Count(p => p.Status.Phase == "Running") == 2, Patience, () => $"{PodsOf(id).Count} pod(s)");
        Assert.Single(Server.Services.Items(), s => s.Metadata.Annotations["orchestrator.io/job-id"] == id);
        // orch logs of a running pod: its log read through the API, from an offset (as --follow polls).
        Server.Logs.Append(PodNameOf(id, 0), "loading shards");
        Server.Logs.Append(PodNameOf(id, 0), "rendezvous with 2 nodes");
        var head = await Grains.GetGrain<IJobGrain>(id).ReadLogAsync(null, 0, 0);
        Assert.Equal("loading shards\nrendezvous with 2 nodes\n", head.Text);
        Assert.False(head.Complete);
        Server.Logs.Append(PodNameOf(id, 0), "step 1");
        Assert.Equal("step 1\n", (await Grains.GetGrain<IJobGrain>(id).ReadLogAsync(null, 0, head.NextOffset)).Text);

        var view = await Grains.GetGrain<IJobGrain>(id).CancelAsync("no longer needed");

        Assert.Equal(JobState.Cancelled, view.State);
        Assert.Empty(PodsOf(id));
        Assert.DoesNotContain(Server.Services.Items(), s => s.Metadata.Annotations["orchestrator.io/job-id"] == id);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_fails_the_job_with_the_pods_reason_and_is_not_retried()
    {
        Server.Kubelet = Kubelets.ImagePullBackOffAsync;
        var before = Server.PodsCreated;
        var id = await K8sJobs.SubmitAsync(Grains, K8sJobs.Container("pull", 2, 2, 2, maxAttempts: 3, image: "registry.example.com/missing:0"));

        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Failed, Patience);

        Assert.Single(job.Attempts);
        Assert.Contains(job.Events, e => e.Attempt == 1 && e.Reason.StartsWith("pods ask for nvidia.com/gpu by count per node", StringComparison.Ordinal));
        Assert.Equal(1, Server.PodsCreated - before);
        Assert.Contains(job.Events, e => e.Reason.Contains($"pod {PodNameOf(id, 0)}: ImagePullBackOff", StringComparison.Ordinal)
            && e.Reason.Contains("registry.example.com/missing:0", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => PodsOf(id).Count == 0, Patience, () => "pods left");
    }

    [Fact]
    public async Task A_users_non_zero_exit_fails_the_attempt_without_marking_its_devices_suspect()
    {
        Server.Kubelet = Kubelets.RunThenExit(7, steps: 2);
        var id = await K8sJobs.SubmitAsync(Grains, K8sJobs.Container("crash", 2, 2, 2, maxAttempts: 1));

        var job = await JobWaits.UntilStateAsync(Grains, id, JobState.Failed, Patience);

        Assert.Contains(job.Events, e => e.Reason.Contains($"pod {PodNameOf(id, 0)}: Error (exit 7)", StringComparison.Ordinal));
        var devices = job.Attempts[0].Ranks.Select(r => r.DeviceId).ToHashSet();
        var cluster = await Grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();
        var health = cluster.Nodes.SelectMany(n => n.Gpus).Where(g => devices.Contains(g.Id)).Select(g => g.Health).ToList();
        Assert.Equal(8, health.Count);
        Assert.All(health, h => Assert.Equal(GpuHealth.Healthy, h));
    }

    [Fact]
    public async Task A_dropped_pod_watch_with_an_expired_version_relists_and_loses_no_pod_end_and_creates_no_pod_twice()
    {
        Server.Kubelet = Kubelets.RunAsync;
        var created = Server.PodsCreated;
        var id = await K8sJobs.SubmitAsync(Grains, K8sJobs.Container("relist", 2, 2, 4));
        await Eventually.HoldsAsync(() => PodsOf(id).Count(p => p.Status.Phase == "Running") == 2, Patience, () => $"{PodsOf(id).Count} pod(s)");
        await JobWaits.UntilStateAsync(Grains, id, JobState.Running, Patience);

        // While the backend's pod watch is down and its version expired, both pods finish.
        Server.Pods.DropWatches();
        Server.Pods.Compact();
        foreach (var pod in PodsOf(id)) Kubelets.Terminate(Server, pod.Metadata.Name, 0, "Completed");

        await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, Patience);
        Assert.Equal(2, Server.PodsCreated - created);
    }

    private static string PodNameOf(string jobId, int nodeRank) => $"{jobId}-a1-n{nodeRank}";
}
