namespace Orchestrator.Silo.Security;

/// <summary>
/// Authentication and submission policy (section <c>Orchestrator:Security</c>). Authentication is on when an auth file
/// is given (or, for the CLI's in-process daemon, an in-memory token set); without one every client call is accepted
/// as before, while job ids, priority caps and data roots are still enforced.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The auth file (<c>orch token create</c> writes it; in Kubernetes a mounted Secret); null: authentication off.</summary>
    public string? AuthFile { get; set; }

    /// <summary>Folders a <c>file:</c> data source must lie under (absolute paths); none: <c>file:</c> sources are refused.</summary>
    public List<string> DataRoots { get; set; } = [];

    /// <summary>The highest priority a non-admin may give a job in a queue without its own policy.</summary>
    public int DefaultMaxPriority { get; set; } = 1000;

    /// <summary>Per-queue policies by queue name.</summary>
    public Dictionary<string, QueuePolicy> Queues { get; set; } = [];

    /// <summary>
    /// How often the silo reads <see cref="AuthFile"/> again to pick up added and revoked tokens (a changed file, or a
    /// Kubernetes Secret the kubelet has updated). A revoked token is refused at most this long after the change
    /// reaches the silo's file system.
    /// </summary>
    public TimeSpan AuthReloadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many verified credentials (tokens, attempt secrets) the silo remembers; 0: verify every call afresh.</summary>
    public int VerifiedCredentialCacheSize { get; set; } = 10_000;

    /// <summary>OIDC/JWT bearer tokens accepted besides the auth file's tokens (needs <see cref="AuthFile"/> for the cluster key).</summary>
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>Tokens given in memory instead of a file (the CLI's in-process daemon); wins over <see cref="AuthFile"/>.</summary>
    internal AuthDocument? Document { get; set; }

    /// <summary>The cap of <paramref name="queue"/>.</summary>
    public int MaxPriority(string queue) => Queues.TryGetValue(queue, out var policy) ? policy.MaxPriority : DefaultMaxPriority;
}
