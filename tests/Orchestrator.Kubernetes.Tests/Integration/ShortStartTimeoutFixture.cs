namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>The Kubernetes cluster fixture with a 2-second pod start timeout.</summary>
public sealed class ShortStartTimeoutFixture : KubernetesClusterFixture
{
    protected override int StartTimeoutSeconds => 2;
}
