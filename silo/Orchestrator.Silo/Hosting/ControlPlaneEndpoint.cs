namespace Orchestrator.Silo.Hosting;

/// <summary>How workers reach this control plane: filled in by the host from the cluster settings.</summary>
internal sealed class ControlPlaneEndpoint
{
    public List<string> Gateways { get; set; } = [];

    public string ClusterId { get; set; } = "orchestrator";

    public string ServiceId { get; set; } = "orchestrator";

    public string? RedisConnection { get; set; }
}
