using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>Who made a call, as its credential proved.</summary>
/// <param name="User">The user, or <c>worker:JOB/ATTEMPT</c> for a worker.</param>
/// <param name="Role">The token's role; null for a worker, which has none.</param>
/// <param name="Queues">Queues a user may submit to; empty for every queue.</param>
/// <param name="TokenId">The API token's id (for audit lines); null for a worker.</param>
/// <param name="Worker">The attempt a worker's secret is for; null for an API token.</param>
internal sealed record Principal(string User, Role? Role, IReadOnlyList<string> Queues, string? TokenId, WorkerGrant? Worker)
{
    public bool IsAtLeast(Role role) => Role is { } mine && mine >= role;
}
