using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Turns a call's credential into a <see cref="Principal"/>: an API token (looked up by its SHA-256, compared in
/// constant time), a worker's attempt secret, or (when configured) an OIDC/JWT bearer token. Also holds the marker the silo's own calls carry. Off (every call
/// accepted) when no auth file or in-memory document is configured. The tokens can be replaced while the silo runs
/// (<see cref="Reload"/>, called by <see cref="AuthFileWatcher"/>); verified credentials are remembered per token
/// table, so a reload forgets them all at once and a revoked token is refused from the next call on.
/// </summary>
internal sealed class Authenticator : IDisposable
{
    private readonly byte[] _clusterKey;
    private readonly int _cacheCapacity;
    private readonly JwtAuthenticator? _jwt;
    // An RS256 token with a handful of claims is about 1 KB; providers that pack in groups make larger ones.
    private const int MaxJwtLength = 16 * 1024;
    private volatile TokenTable _tokens;
    private long _reloads;

    /// <param name="options">The settings.</param>
    /// <param name="loggers">Where OIDC key discovery reports; null: nowhere (tests that check API tokens only).</param>
    /// <param name="time">The clock OIDC key refreshes are timed by; null: the system's.</param>
    public Authenticator(IOptions<SecurityOptions> options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        var o = options.Value;
        var document = o.Document ?? (o.AuthFile is { } file ? AuthFile.Load(file) : null);
        Enabled = document is not null;
        // Without authentication no marker is checked; a random key keeps the types simple.
        _clusterKey = document is not null && AuthFile.TryKey(document.ClusterKey, out var k) ? k : RandomNumberGenerator.GetBytes(32);
        _cacheCapacity = o.VerifiedCredentialCacheSize;
        _tokens = Table(document?.Tokens ?? []);
        _jwt = o.Oidc.Issuer is not null
            ? new JwtAuthenticator(o.Oidc, (loggers ?? NullLoggerFactory.Instance).CreateLogger<JwtAuthenticator>(), time ?? TimeProvider.System)
            : null;
        Workers = new WorkerCredentials(_clusterKey);
        InternalMarker = Convert.ToBase64String(HMACSHA256.HashData(_clusterKey, "internal call"u8));
    }

    public bool Enabled { get; }

    public WorkerCredentials Workers { get; }

    /// <summary>What calls made inside the control plane carry (derived from the cluster key, so every silo agrees).</summary>
    public string InternalMarker { get; }

    /// <summary>How many times the tokens were replaced since the silo started.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    // Compared as the text it travels as: no decoding or allocation on the path every internal call takes.
    public bool IsInternalMarker(object? value) =>
        value is string text && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(text.AsSpan()), MemoryMarshal.AsBytes(InternalMarker.AsSpan()));

    /// <summary>
    /// Replaces the tokens with <paramref name="document"/>'s (and forgets every verified credential). The cluster key
    /// stays the one the silo started with: every silo must agree on it, so changing it takes a restart of them all.
    /// </summary>
    /// <returns>False when the document names another cluster key (its tokens are applied all the same).</returns>
    public bool Reload(AuthDocument document)
    {
        _tokens = Table(document.Tokens);
        Interlocked.Increment(ref _reloads);
        return AuthFile.TryKey(document.ClusterKey, out var key) && CryptographicOperations.FixedTimeEquals(key, _clusterKey);
    }

    /// <summary>Forgets a finished attempt's secret (it stays valid for that attempt's own reports, as before).</summary>
    public void ForgetAttempt(string jobId, int attempt) => _tokens.Verified.Remove(Workers.For(jobId, attempt));

    /// <summary>The principal <paramref name="credential"/> proves, or null.</summary>
    public ValueTask<Principal?> AuthenticateAsync(object? credential)
    {
        if (_jwt is not null && credential is string { Length: > 0 and <= MaxJwtLength } jwt && JwtAuthenticator.LooksLikeJwt(jwt)) return _jwt.AuthenticateAsync(jwt);
        return ValueTask.FromResult(Authenticate(credential));
    }

    /// <summary>Fetches discovered OIDC keys now (failures are logged, not thrown); nothing when they come from a file or OIDC is off.</summary>
    public Task PrepareOidcKeysAsync(CancellationToken cancellation) => _jwt?.PrepareAsync(cancellation) ?? Task.CompletedTask;

    public void Dispose() => _jwt?.Dispose();

    private Principal? Authenticate(object? credential)
    {
        if (credential is not string token || token.Length is 0 or > 512) return null;
        // One snapshot for the whole check: a principal verified against a table is cached in that table only.
        var tokens = _tokens;
        if (tokens.Verified.TryGet(token, out var known)) return known;
        var principal = Verify(tokens, token);
        if (principal is not null) tokens.Verified.Add(token, principal);
        return principal;
    }

    private Principal? Verify(TokenTable tokens, string token)
    {
        if (token.StartsWith(WorkerCredentials.Prefix, StringComparison.Ordinal))
            return Workers.Verify(token) is { } grant ? new Principal($"worker:{grant.JobId}/{grant.Attempt}", null, [], null, grant) : null;
        var hash = AuthFile.Hash(token);
        if (!tokens.ByHash.TryGetValue(hash, out var entry)) return null;
        // The lookup found the entry by hash; compare once more in constant time so no timing depends on the token.
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(entry.Sha256))
            ? new Principal(entry.User, entry.Role, entry.Queues, entry.Id, null)
            : null;
    }

    private TokenTable Table(IEnumerable<TokenEntry> entries) =>
        new(entries.GroupBy(t => t.Sha256, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal), new VerifiedCredentials(_cacheCapacity));

    /// <summary>The tokens of one version of the auth file and the credentials verified against them.</summary>
    private sealed record TokenTable(FrozenDictionary<string, TokenEntry> ByHash, VerifiedCredentials Verified);
}
