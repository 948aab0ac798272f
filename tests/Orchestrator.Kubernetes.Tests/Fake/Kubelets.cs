using k8s.Models;

namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>Scripted kubelets: what happens to a pod after it is created.</summary>
internal static class Kubelets
{
    /// <summary>Starts the container and leaves it running.</summary>
    public static async Task RunAsync(FakeApiServer server, V1Pod pod)
    {
        await Task.Delay(20);
        server.UpdatePod(pod.Metadata.Name, p =>
        {
            p.Spec.NodeName = NodeOf(p);
            p.Status.Phase = "Running";
            p.Status.ContainerStatuses = [new V1ContainerStatus { Name = "trainer", Ready = true, State = new V1ContainerState { Running = new V1ContainerStateRunning() } }];
        });
    }

    /// <summary>Runs the container, prints progress lines (rank 0's are the job's progress), then exits with <paramref name="exitCode"/>.</summary>
    public static Func<FakeApiServer, V1Pod, Task> RunThenExit(int exitCode, int steps = 10, string? reason = null) => async (server, pod) =>
    {
        await RunAsync(server, pod);
        await Task.Delay(300);
        for (var step = 1; step <= steps; step++) server.Logs.Append(pod.Metadata.Name, $"ORCH_PROGRESS step={step} loss={4.0 - step * 0.1:F2} tokens=4096");
        await Task.Delay(200);
        Terminate(server, pod.Metadata.Name, exitCode, reason ?? (exitCode == 0 ? "Completed" : "Error"));
    };

    /// <summary>The image cannot be pulled: the pod stays Pending with ImagePullBackOff.</summary>
    public static async Task ImagePullBackOffAsync(FakeApiServer server, V1Pod pod)
    {
        await Task.Delay(20);
        server.UpdatePod(pod.Metadata.Name, p => p.Status.ContainerStatuses =
        [
            new V1ContainerStatus { Name = "trainer", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = $"Back-off pulling image \"{p.Spec.Containers[0].Image}\"" } } },
        ]);
    }

    public static void Terminate(FakeApiServer server, string pod, int exitCode, string reason) => server.UpdatePod(pod, p =>
    {
        p.Status.Phase = exitCode == 0 ? "Succeeded" : "Failed";
        p.Status.ContainerStatuses = [new V1ContainerStatus { Name = "trainer", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = reason } } }];
    });

    /// <summary>The node the pod is pinned to by its required node affinity (what the scheduler would bind it to).</summary>
    public static string NodeOf(V1Pod pod) =>
        pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchFields[0].Values[0];
}
