using Orchestrator.Silo.Metrics;
using Prometheus;

namespace Orchestrator.Silo.Security;

/// <summary>Refused calls, by a bounded reason, in the silo's registry.</summary>
internal sealed class SecurityMetrics
{
    public static readonly IReadOnlyList<string> Reasons = ["unauthenticated", "forbidden", "internal_only", "invalid_id"];

    private readonly Counter _refused;

    public SecurityMetrics(OrchestratorMetrics metrics)
    {
        _refused = Prometheus.Metrics.WithCustomRegistry(metrics.Registry).CreateCounter(
            "orchestrator_unauthorised_calls_total", "Client calls the control plane refused, by reason (grain calls and HTTP API requests).", "reason");
        foreach (var reason in Reasons) _refused.WithLabels(reason);
    }

    public void Refused(string reason) => _refused.WithLabels(reason).Inc();

    public double RefusedCount(string reason) => _refused.WithLabels(reason).Value;
}
