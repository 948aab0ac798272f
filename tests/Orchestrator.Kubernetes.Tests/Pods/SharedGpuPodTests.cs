using k8s.Models;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Kubernetes.Pods;

namespace Orchestrator.Kubernetes.Tests.Pods;

/// <summary>A GPU share's pod asks for a replica of the shared resource, never a whole nvidia.com/gpu, and is pinned to its device.</summary>
public sealed class SharedGpuPodTests
{
    [Fact]
    public void A_share_asks_one_shared_replica_pinned_to_its_node_and_device_and_is_told_its_fraction_and_mps_limit()
    {
        var pod = PodManifests.Pod(Assignment(RuntimeSpec.BuiltIn, 0.25, device: "gpu-a/3"), 0, Owner(), new KubernetesBackendOptions());

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("1", Assert.Single(container.Resources.Limits, l => l.Key == "nvidia.com/gpu.shared").Value.ToString());
        Assert.DoesNotContain("nvidia.com/gpu", container.Resources.Limits.Keys);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("3", env["NVIDIA_VISIBLE_DEVICES"]);
        Assert.Equal("0.25", env["ORCH_GPU_FRACTION"]);
        Assert.Equal("25", env["CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"]);
        Assert.Equal(["gpu-a"], Assert.Single(pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchFields[0].Values);
        Assert.Equal("0.25 of device 3 on gpu-a: one nvidia.com/gpu.shared (Mps), pinned by NVIDIA_VISIBLE_DEVICES=3", pod.Metadata.Annotations[PodNames.PlacementAnnotation]);
    }

    [Fact]
    public void Time_slicing_and_a_configured_resource_name_reach_a_users_own_program_without_an_mps_limit()
    {
        var options = new KubernetesBackendOptions { GpuSharing = new KubernetesGpuSharing { Resource = "example.com/shared-gpu", Strategy = GpuSharingStrategy.TimeSlicing } };
        var program = RuntimeSpec.BuiltIn with { Image = "trainer:1", Command = ["python", "serve.py"] };

        var pod = PodManifests.Pod(Assignment(program, 0.125, device: "gpu-a/0"), 0, Owner(), options);

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(["example.com/shared-gpu"], container.Resources.Limits.Keys);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("0.125", env["ORCH_GPU_FRACTION"]);
        Assert.Equal("0", env["NVIDIA_VISIBLE_DEVICES"]);
        Assert.False(env.ContainsKey("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"));
        Assert.Single(container.Env, e => e.Name == "ORCH_GPU_FRACTION"); // once, from the trainer environment
    }

    [Fact]
    public void A_whole_device_job_still_asks_nvidia_com_gpu_and_gets_no_share_variables()
    {
        var pod = PodManifests.Pod(Assignment(RuntimeSpec.BuiltIn, null, device: "gpu-a/0"), 0, Owner(), new KubernetesBackendOptions());

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.DoesNotContain(container.Env, e => e.Name is "ORCH_GPU_FRACTION" or "NVIDIA_VISIBLE_DEVICES" or "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE");
    }

    [Fact]
    public void A_bad_shared_resource_name_is_refused_naming_the_setting()
    {
        var result = new KubernetesOptionsValidation().Validate(null, new KubernetesBackendOptions { GpuSharing = new KubernetesGpuSharing { Resource = "gpu" } });

        Assert.True(result.Failed);
        Assert.Contains("Orchestrator:Kubernetes:GpuSharing:Resource must be an extended resource name", result.FailureMessage, StringComparison.Ordinal);
    }

    private static V1Service Owner() => new() { Metadata = new V1ObjectMeta { Name = "job-a1", Uid = "uid-1" } };

    private static WorkerAssignment Assignment(RuntimeSpec runtime, double? fraction, string device)
    {
        var spec = new TrainingJobSpec(
            new JobMetadata("share"), new ModelSpec("gpt", 2, 32, 4, 16, 64), new DataSpec("builtin:synthetic"),
            new TrainingSpec(4, 10, new OptimizerSpec("adamw", 3e-3)), new ParallelismSpec(false, 1, 1, 1, MicroBatch: 4),
            new ResourcesSpec(1, "h100-80gb", GpuFraction: fraction), new CheckpointSpec(), runtime, new RestartPolicySpec(3, 0.2, 1));
        var plan = new JobPlan(1, 1, 1, 1, 1, 4, "1f1b", "none", false, null, "fixed");
        return new WorkerAssignment("share-abcde", 1, "gpu-a", [new PlacedRank(0, device, "gpu-a")], 1, plan, spec,
            ["10.0.0.1:30000"], "orchestrator", "orchestrator", null, 0);
    }
}
