using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Orchestrator.Silo.Http;

/// <summary>Ready once this silo is an active member of its cluster (it has joined, and is not shutting down).</summary>
internal sealed class ClusterMembershipCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IReadinessCheck
{
    public string Name => "cluster-membership";

    public TimeSpan Timeout => TimeSpan.FromSeconds(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"active, {active} active silo(s)")
            : HealthCheckResult.Unhealthy($"this silo is {status}"));
    }
}
