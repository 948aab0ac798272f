namespace Orchestrator.Client;

/// <summary>How to reach the control plane.</summary>
public sealed record OrchestratorClientOptions
{
    /// <summary>The embedded daemon's default gateway.</summary>
    public const string DefaultGateway = "127.0.0.1:30000";

    /// <summary>Gateway endpoints, <c>host:port</c>; used when <see cref="RedisConnection"/> is null.</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [DefaultGateway];

    /// <summary>Redis connection string of a cluster that uses Redis membership; gateways are then discovered.</summary>
    public string? RedisConnection { get; init; }

    /// <summary>Orleans cluster id.</summary>
    public string ClusterId { get; init; } = "orchestrator";

    /// <summary>Orleans service id.</summary>
    public string ServiceId { get; init; } = "orchestrator";

    /// <summary>
    /// The caller's API token (or a worker's attempt secret), sent with every call; null for a control plane that runs
    /// without authentication. The CLI fills it from <c>--token</c> or <c>ORCH_TOKEN</c>.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>TLS to the gateways; null for plain TCP (a control plane started without certificates).</summary>
    public ClientTlsOptions? Tls { get; init; }

    /// <summary>
    /// How long connecting may take before it fails with a <see cref="TimeoutException"/>; null: keep trying, as Orleans
    /// does. A plain client at a TLS gateway is never answered, so the CLI sets one.
    /// </summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>How often <see cref="OrchestratorClient.WatchAsync"/> asks for news.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromMilliseconds(300);
}
