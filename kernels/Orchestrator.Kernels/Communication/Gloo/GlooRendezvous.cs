namespace Orchestrator.Kernels.Communication.Gloo;

/// <summary>
/// Where the processes of one attempt find each other: Gloo's file store in a directory every process sees (the shared
/// checkpoint volume), keys prefixed by job and attempt so that a process of a stale attempt never joins a newer one.
/// </summary>
/// <param name="StoreDirectory">Directory of the file store, e.g. <c>ROOT/rendezvous/JOB/attempt-N</c>.</param>
/// <param name="Prefix">Key prefix, e.g. <c>JOB/attempt-N</c>.</param>
/// <param name="Address">The address this process's TCP endpoint binds and advertises (127.0.0.1 on one machine).</param>
/// <param name="Timeout">How long rendezvous and every blocking call may wait.</param>
public sealed record GlooRendezvous(string StoreDirectory, string Prefix, string Address, TimeSpan Timeout)
{
    /// <summary>The rendezvous of <paramref name="job"/>'s attempt <paramref name="attempt"/> under <paramref name="root"/>.</summary>
    public static GlooRendezvous ForAttempt(string root, string job, int attempt, string address, TimeSpan timeout) =>
        new(Path.Combine(root, "rendezvous", job, $"attempt-{attempt}"), $"{job}/attempt-{attempt}", address, timeout);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public GlooRendezvous Validate()
    {
        if (string.IsNullOrWhiteSpace(StoreDirectory)) throw new ArgumentException("GlooRendezvous.StoreDirectory must name a directory.", nameof(StoreDirectory));
        if (string.IsNullOrWhiteSpace(Prefix)) throw new ArgumentException("GlooRendezvous.Prefix must not be empty.", nameof(Prefix));
        if (string.IsNullOrWhiteSpace(Address)) throw new ArgumentException("GlooRendezvous.Address must be an address this host can bind, e.g. 127.0.0.1.", nameof(Address));
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"GlooRendezvous.Timeout must be positive, got {Timeout}.", nameof(Timeout));
        return this;
    }
}
