using System.Globalization;
using k8s.Models;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution.External;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>
/// The objects of an attempt: a headless Service (so ranks find each other by DNS) and one pod per placed node,
/// pinned to it by required node affinity (the scheduler still checks taints and capacity, so a full or tainted
/// node shows as Unschedulable rather than a kubelet rejection), asking for the node's device count of
/// <c>nvidia.com/gpu</c>: the device plugin picks the indices, so on Kubernetes placement is by count per node. A GPU
/// share's pod asks for one replica of the shared resource instead and is pinned to the device the scheduler packed
/// it onto (<see cref="SharedGpu"/>).
/// </summary>
internal static class PodManifests
{
    public const string ContainerName = "trainer";
    public const string AssignmentVariable = "ORCH_ASSIGNMENT";
    private const string CheckpointVolume = "checkpoints";

    public static V1Service Service(string jobId, int attempt, KubernetesBackendOptions options) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = PodNames.Service(jobId, attempt),
            NamespaceProperty = options.Namespace,
            Labels = PodNames.Labels(jobId, attempt, null),
            Annotations = new Dictionary<string, string> { [PodNames.JobAnnotation] = jobId },
        },
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            // Ranks rendezvous before any readiness could be known: their names must resolve at once.
            PublishNotReadyAddresses = true,
            Selector = new Dictionary<string, string>
            {
                [PodNames.JobLabel] = PodNames.Labels(jobId, attempt, null)[PodNames.JobLabel],
                [PodNames.AttemptLabel] = attempt.ToString(CultureInfo.InvariantCulture),
            },
            Ports = [new V1ServicePort { Name = "rendezvous", Port = options.MasterPort }],
        },
    };

    /// <summary>The DNS name of node rank 0's pod: <c>MASTER_ADDR</c> for every rank.</summary>
    public static string MasterAddress(string jobId, int attempt, KubernetesBackendOptions options) =>
        $"{PodNames.Pod(jobId, attempt, 0)}.{PodNames.Service(jobId, attempt)}.{options.Namespace}.svc";

    public static V1Pod Pod(WorkerAssignment assignment, int nodeRank, V1Service owner, KubernetesBackendOptions options)
    {
        // Inside the pod the checkpoint store is the mounted volume, wherever the daemon keeps it.
        var inPod = assignment with { CheckpointRoot = options.CheckpointMountPath };
        var runtime = assignment.Spec.Runtime;
        var builtIn = runtime.IsBuiltIn;
        var devices = assignment.Ranks.Count;
        var share = SharedGpu.Of(assignment, options.GpuSharing);
        var container = new V1Container
        {
            Name = ContainerName,
            Image = runtime.Image ?? options.WorkerImage,
            ImagePullPolicy = options.ImagePullPolicy,
            Resources = new V1ResourceRequirements
            {
                Limits = share?.Limits ?? new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new(devices.ToString(CultureInfo.InvariantCulture)) },
            },
            VolumeMounts = Volume(options) is null ? null : [new V1VolumeMount { Name = CheckpointVolume, MountPath = options.CheckpointMountPath }],
        };
        if (builtIn)
        {
            // The worker image's entrypoint is the worker; it reads its assignment from this variable.
            container.Args = ["--assignment-env", AssignmentVariable];
            container.Env = [new V1EnvVar { Name = AssignmentVariable, Value = WorkerAssignmentFile.ToJson(inPod) }, .. WorkerTls.Environment(options),
                .. share?.Environment(withFraction: true) ?? []];
            if (WorkerTls.Mount(options) is { } mount) container.VolumeMounts = [.. container.VolumeMounts ?? [], mount];
        }
        else
        {
            container.Command = runtime.Command?.ToList();
            container.Args = runtime.Args?.ToList();
            var rendezvous = TrainerRendezvous.For(inPod, MasterAddress(assignment.JobId, assignment.Attempt, options), options.MasterPort);
            container.Env = TrainerEnvironment.For(inPod, rendezvous, options.GpuSharing.Strategy == GpuSharingStrategy.Mps)
                .OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new V1EnvVar { Name = v.Key, Value = v.Value })
                .Concat(share?.Environment(withFraction: false) ?? []).ToList();
        }

        var name = PodNames.Pod(assignment.JobId, assignment.Attempt, nodeRank);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = options.Namespace,
                Labels = PodNames.Labels(assignment.JobId, assignment.Attempt, nodeRank),
                Annotations = new Dictionary<string, string>
                {
                    [PodNames.JobAnnotation] = assignment.JobId,
                    [PodNames.NodeAnnotation] = assignment.Node,
                    [PodNames.DevicesAnnotation] = string.Join(",", assignment.Ranks.Select(r => r.DeviceId)),
                    [PodNames.PlacementAnnotation] = share?.Placement
                        ?? $"{devices} nvidia.com/gpu on {assignment.Node}: placement is by count per node; the device plugin picks the indices",
                },
                // Owned by the attempt's Service: deleting it (or it being collected) takes the pods with it.
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Service", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, BlockOwnerDeletion = false, Controller = false }],
            },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Hostname = name,
                Subdomain = owner.Metadata.Name,
                ServiceAccountName = options.ServiceAccountName,
                TerminationGracePeriodSeconds = options.TerminationGracePeriodSeconds,
                Affinity = new V1Affinity
                {
                    NodeAffinity = new V1NodeAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                        {
                            NodeSelectorTerms =
                            [
                                new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [assignment.Node] }] },
                            ],
                        },
                    },
                },
                Containers = [container],
                Volumes = Volumes(options, builtIn),
            },
        };
    }

    private static List<V1Volume>? Volumes(KubernetesBackendOptions options, bool builtIn)
    {
        List<V1Volume> volumes = [];
        if (Volume(options) is { } checkpoints) volumes.Add(checkpoints);
        if (builtIn && WorkerTls.Volume(options) is { } tls) volumes.Add(tls);
        return volumes.Count > 0 ? volumes : null;
    }

    private static V1Volume? Volume(KubernetesBackendOptions options) =>
        options.CheckpointClaimName is { Length: > 0 } claim
            ? new V1Volume { Name = CheckpointVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }
            : options.CheckpointHostPath is { Length: > 0 } path
                ? new V1Volume { Name = CheckpointVolume, HostPath = new V1HostPathVolumeSource { Path = path, Type = "DirectoryOrCreate" } }
                : null;
}
