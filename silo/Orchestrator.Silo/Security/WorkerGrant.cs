namespace Orchestrator.Silo.Security;

/// <summary>The one attempt a worker's secret is valid for.</summary>
internal sealed record WorkerGrant(string JobId, int Attempt);
