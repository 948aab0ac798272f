namespace Orchestrator.Contracts.Cluster;

/// <summary>A node agent's (or worker's) periodic report.</summary>
/// <param name="SentAt">When it was sent, by the sender's clock.</param>
/// <param name="JobId">The job whose worker sent it, if any.</param>
/// <param name="Attempt">That worker's attempt.</param>
[GenerateSerializer, Immutable]
public sealed record NodeHeartbeat(
    [property: Id(0)] DateTimeOffset SentAt,
    [property: Id(1)] string? JobId = null,
    [property: Id(2)] int Attempt = 0);
