using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orchestrator.Silo.Http;

/// <summary>A condition <c>/readyz</c> requires: the silo serves traffic only when every one holds.</summary>
internal interface IReadinessCheck : IHealthCheck
{
    /// <summary>Name shown in the <c>/readyz</c> body.</summary>
    string Name { get; }

    /// <summary>How long the check may take before it counts as failed.</summary>
    TimeSpan Timeout { get; }
}
