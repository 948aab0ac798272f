using Microsoft.Extensions.Options;

namespace Orchestrator.Kubernetes;

/// <summary>Checks the provider's settings, naming each bad field and what is allowed.</summary>
internal sealed class KubernetesOptionsValidation : IValidateOptions<KubernetesBackendOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesBackendOptions options) =>
        Problems(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;

    private static List<string> Problems(KubernetesBackendOptions o)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Namespace)) problems.Add("Orchestrator:Kubernetes:Namespace must not be empty");
        if (string.IsNullOrWhiteSpace(o.WorkerImage)) problems.Add("Orchestrator:Kubernetes:WorkerImage must not be empty");
        if (o.ImagePullPolicy is not ("Always" or "IfNotPresent" or "Never"))
            problems.Add($"Orchestrator:Kubernetes:ImagePullPolicy must be Always, IfNotPresent or Never, got '{o.ImagePullPolicy}'");
        if (o.TerminationGracePeriodSeconds < 0) problems.Add($"Orchestrator:Kubernetes:TerminationGracePeriodSeconds must be 0 or more, got {o.TerminationGracePeriodSeconds}");
        if (o.StartTimeoutSeconds < 1) problems.Add($"Orchestrator:Kubernetes:StartTimeoutSeconds must be at least 1, got {o.StartTimeoutSeconds}");
        if (o.MaxConcurrentRequests < 1) problems.Add($"Orchestrator:Kubernetes:MaxConcurrentRequests must be at least 1, got {o.MaxConcurrentRequests}");
        if (o.MasterPort is < 1 or > 65535) problems.Add($"Orchestrator:Kubernetes:MasterPort must be between 1 and 65535, got {o.MasterPort}");
        if (!o.CheckpointMountPath.StartsWith('/')) problems.Add($"Orchestrator:Kubernetes:CheckpointMountPath must be an absolute path, got '{o.CheckpointMountPath}'");
        // An extended resource name is qualified (domain/name), as the device plugin advertises it.
        if (o.GpuSharing.Resource is not { Length: > 2 } resource || resource.Count(c => c == '/') != 1 || resource.StartsWith('/') || resource.EndsWith('/') || resource.Any(char.IsWhiteSpace))
            problems.Add($"Orchestrator:Kubernetes:GpuSharing:Resource must be an extended resource name such as nvidia.com/gpu.shared, got '{o.GpuSharing.Resource}'");
        if (!Enum.IsDefined(o.GpuSharing.Strategy))
            problems.Add($"Orchestrator:Kubernetes:GpuSharing:Strategy must be Mps or TimeSlicing, got '{o.GpuSharing.Strategy}'");
        foreach (var (product, type) in o.GpuProducts)
        {
            if (!Planning.Hardware.HardwareCatalog.TryGet(type, out _))
                problems.Add($"Orchestrator:Kubernetes:GpuProducts:{product} maps to unknown GPU type '{type}'; known: {string.Join(", ", Planning.Hardware.HardwareCatalog.All.Select(m => m.Name))}");
        }

        return problems;
    }
}
