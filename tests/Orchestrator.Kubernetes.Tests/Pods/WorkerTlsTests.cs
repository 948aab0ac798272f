using k8s.Models;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;
using Orchestrator.Contracts.Workers;
using Orchestrator.Kubernetes.Pods;

namespace Orchestrator.Kubernetes.Tests.Pods;

/// <summary>Built-in worker pods of a TLS control plane mount the worker Secret and are told where its files are.</summary>
public sealed class WorkerTlsTests
{
    [Fact]
    public void A_built_in_worker_pod_mounts_the_secret_and_under_mutual_TLS_presents_its_certificate()
    {
        var options = new KubernetesBackendOptions { Namespace = "training", CheckpointClaimName = "checkpoints", WorkerTlsSecretName = "worker-tls", WorkerTlsClientCertificate = true };
        var pod = PodManifests.Pod(Assignment(RuntimeSpec.BuiltIn), 0, Owner(), options);
        var container = Assert.Single(pod.Spec.Containers);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("true", env[TransportEnvironment.Enabled]);
        Assert.Equal("/etc/orchestrator/tls/ca.crt", env[TransportEnvironment.Ca]);
        Assert.Equal("/etc/orchestrator/tls/tls.crt", env[TransportEnvironment.Certificate]);
        Assert.Equal("/etc/orchestrator/tls/tls.key", env[TransportEnvironment.Key]);
        Assert.Equal("worker-tls", Assert.Single(pod.Spec.Volumes, v => v.Secret is not null).Secret.SecretName);
        Assert.True(Assert.Single(container.VolumeMounts, m => m.MountPath == "/etc/orchestrator/tls").ReadOnlyProperty);
        Assert.Contains(pod.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == "checkpoints");

        var serverOnly = PodManifests.Pod(Assignment(RuntimeSpec.BuiltIn), 0, Owner(), new KubernetesBackendOptions { WorkerTlsSecretName = "worker-tls" });
        var names = Assert.Single(serverOnly.Spec.Containers).Env.Select(e => e.Name).ToList();
        Assert.Contains(TransportEnvironment.Ca, names);
        Assert.DoesNotContain(TransportEnvironment.Certificate, names);
    }

    [Fact]
    public void Without_the_setting_or_for_a_users_own_program_nothing_is_mounted()
    {
        var plain = PodManifests.Pod(Assignment(RuntimeSpec.BuiltIn), 0, Owner(), new KubernetesBackendOptions());
        Assert.Null(plain.Spec.Volumes);
        Assert.DoesNotContain(Assert.Single(plain.Spec.Containers).Env, e => e.Name.StartsWith("ORCH_TLS", StringComparison.Ordinal));

        var program = RuntimeSpec.BuiltIn with { Image = "trainer:1", Command = ["python", "train.py"] };
        var own = PodManifests.Pod(Assignment(program), 0, Owner(), new KubernetesBackendOptions { WorkerTlsSecretName = "worker-tls" });
        Assert.Null(own.Spec.Volumes);
        Assert.DoesNotContain(Assert.Single(own.Spec.Containers).Env, e => e.Name.StartsWith("ORCH_TLS", StringComparison.Ordinal));
    }

    private static V1Service Owner() => new() { Metadata = new V1ObjectMeta { Name = "job-a1", Uid = "uid-1" } };

    private static WorkerAssignment Assignment(RuntimeSpec runtime)
    {
        var spec = new TrainingJobSpec(
            new JobMetadata("tls"), new ModelSpec("gpt", 2, 32, 4, 16, 64), new DataSpec("builtin:synthetic"),
            new TrainingSpec(4, 10, new OptimizerSpec("adamw", 3e-3)), new ParallelismSpec(false, 1, 1, 1, MicroBatch: 4),
            new ResourcesSpec(1, "h100-80gb"), new CheckpointSpec(), runtime, new RestartPolicySpec(3, 0.2, 1));
        var plan = new JobPlan(1, 1, 1, 1, 1, 4, "1f1b", "none", false, null, "fixed");
        return new WorkerAssignment("tls-abcde", 1, "gpu-a", [new PlacedRank(0, "gpu-a/0", "gpu-a")], 1, plan, spec,
            ["10.0.0.1:30000"], "orchestrator", "orchestrator", null, 0);
    }
}
