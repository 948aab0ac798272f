using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Turns a call's credential into a <see cref="Principal"/>: an API token (looked up by its SHA-256, compared in
/// constant time) or a worker's attempt secret. Also holds the marker the silo's own calls carry. Off (every call
/// accepted) when no auth file or in-memory document is configured.
/// </summary>
internal sealed class Authenticator
{
    private readonly Dictionary<string, TokenEntry> _byHash;
    private readonly byte[] _internalMarker;

    public Authenticator(IOptions<SecurityOptions> options)
    {
        var o = options.Value;
        var document = o.Document ?? (o.AuthFile is { } file ? AuthFile.Load(file) : null);
        Enabled = document is not null;
        // Without authentication no marker is checked; a random key keeps the types simple.
        var key = document is not null && AuthFile.TryKey(document.ClusterKey, out var k) ? k : RandomNumberGenerator.GetBytes(32);
        _byHash = (document?.Tokens ?? []).ToDictionary(t => t.Sha256, StringComparer.Ordinal);
        Workers = new WorkerCredentials(key);
        _internalMarker = HMACSHA256.HashData(key, "internal call"u8);
        InternalMarker = Convert.ToBase64String(_internalMarker);
    }

    public bool Enabled { get; }

    public WorkerCredentials Workers { get; }

    /// <summary>What calls made inside the control plane carry (derived from the cluster key, so every silo agrees).</summary>
    public string InternalMarker { get; }

    public bool IsInternalMarker(object? value)
    {
        if (value is not string text) return false;
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) && CryptographicOperations.FixedTimeEquals(bytes.AsSpan(0, written), _internalMarker);
    }

    /// <summary>The principal <paramref name="credential"/> proves, or null.</summary>
    public Principal? Authenticate(object? credential)
    {
        if (credential is not string token || token.Length is 0 or > 512) return null;
        if (token.StartsWith(WorkerCredentials.Prefix, StringComparison.Ordinal))
            return Workers.Verify(token) is { } grant ? new Principal($"worker:{grant.JobId}/{grant.Attempt}", null, [], null, grant) : null;
        var hash = AuthFile.Hash(token);
        if (!_byHash.TryGetValue(hash, out var entry)) return null;
        // The lookup found the entry by hash; compare once more in constant time so no timing depends on the token.
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(entry.Sha256))
            ? new Principal(entry.User, entry.Role, entry.Queues, entry.Id, null)
            : null;
    }
}
