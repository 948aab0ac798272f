using k8s.Models;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>How a pod ended (or why it cannot start), read from its phase, status reason and container state.</summary>
/// <param name="ExitCode">The container's exit code; -1 when it has none (never started, evicted, node lost).</param>
/// <param name="Cause">Who is to blame (see <see cref="ExitCause"/>).</param>
/// <param name="Reason">The pod's reason in Kubernetes' words, e.g. <c>OOMKilled (exit 137)</c> or <c>ImagePullBackOff: ...</c>.</param>
internal sealed record PodOutcome(int ExitCode, ExitCause Cause, string Reason)
{
    /// <summary>Waiting reasons that no retry on another node would fix: the image or the container's settings are wrong.</summary>
    private static readonly HashSet<string> SpecWaits = new(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError",
    };

    /// <summary>The pod's outcome, or null while it is pending or running normally.</summary>
    /// <param name="pod">The pod as last seen.</param>
    /// <param name="builtIn">True for the built-in worker, whose exit code 2 means the spec cannot run.</param>
    public static PodOutcome? Of(V1Pod pod, bool builtIn)
    {
        var status = pod.Status;
        var container = status?.ContainerStatuses?.FirstOrDefault();
        if (container?.State?.Waiting is { } waiting && SpecWaits.Contains(waiting.Reason ?? ""))
            return new PodOutcome(-1, ExitCause.SpecError, $"{waiting.Reason}: {waiting.Message}".TrimEnd(' ', ':'));
        switch (status?.Phase)
        {
            case "Succeeded":
                return new PodOutcome(0, ExitCause.Completed, "Succeeded");
            case "Failed":
                break;
            default:
                return null;
        }

        if (container?.State?.Terminated is { } terminated)
        {
            var code = terminated.ExitCode;
            var reason = $"{terminated.Reason ?? "Error"} (exit {code})";
            if (code == 0) return new PodOutcome(0, ExitCause.Completed, reason);
            // OOMKilled is the program asking for more host memory than the pod has: the job's fault, not the node's.
            return new PodOutcome(code, builtIn && code == WorkerExitCodes.SpecError ? ExitCause.SpecError : ExitCause.ProgramError, reason);
        }

        // Failed without a container exit: evicted, the node lost or shut down, or refused by the kubelet (OutOfnvidia.com/gpu).
        var why = status.Reason ?? "Failed";
        return new PodOutcome(-1, ExitCause.Infrastructure, string.IsNullOrEmpty(status.Message) ? why : $"{why}: {status.Message}");
    }

    /// <summary>Why a pod is not running yet, e.g. <c>Unschedulable: 0/2 nodes are available</c>, or null when it is.</summary>
    public static string? PendingReason(V1Pod pod)
    {
        if (pod.Status?.Phase == "Running") return null;
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        if (scheduled is not null) return $"{scheduled.Reason ?? "Unschedulable"}: {scheduled.Message}".TrimEnd(' ', ':');
        var waiting = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
        return waiting is null ? pod.Status?.Phase ?? "Pending" : $"{waiting.Reason}: {waiting.Message}".TrimEnd(' ', ':');
    }
}
