using System.Collections.Concurrent;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Credentials this silo has already verified, so a worker's heartbeat or a client's call does not recompute an HMAC or
/// a SHA-256 (and allocate a new principal) each time. Only successes are kept; the cache belongs to one token table
/// (<see cref="Authenticator"/> drops it with the table when the auth file changes) and is bounded: when it holds
/// <c>capacity</c> entries it starts afresh, so a caller cycling through many valid credentials costs at worst the
/// uncached path. Keyed by the credential's text: a hit costs one string hash (Marvin, seeded randomly per process, so
/// a caller cannot steer which entries its guesses are compared with) and one comparison with an entry whose hash
/// matched; the credential itself is in this process's memory anyway, in every call's request context.
/// </summary>
internal sealed class VerifiedCredentials(int capacity)
{
    private readonly ConcurrentDictionary<string, Principal> _entries = new(StringComparer.Ordinal);
    private int _count;

    public bool TryGet(string credential, out Principal principal) => _entries.TryGetValue(credential, out principal!);

    public void Add(string credential, Principal principal)
    {
        if (capacity <= 0) return;
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _entries[credential] = principal;
    }

    public void Remove(string credential)
    {
        if (_entries.TryRemove(credential, out _)) Interlocked.Decrement(ref _count);
    }
}
