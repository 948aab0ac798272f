using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// An identity provider's signing keys, found from its issuer: the discovery document
/// (<c>/.well-known/openid-configuration</c>) must name the configured issuer, and its <c>jwks_uri</c> gives the keys.
/// Fetching and parsing both documents is Microsoft.IdentityModel's (<see cref="OpenIdConnectConfigurationRetriever"/>);
/// when to fetch is decided here rather than by its <c>ConfigurationManager</c>, because that one refreshes in the
/// background when a token names an unknown key and answers the call that asked with the old keys (so the first tokens
/// signed with a rotated-in key would be refused), its blocking mode is a process-wide switch, and its periodic
/// refresh cannot be shorter than five minutes. Here a token that names an unknown key, or arrives once the keys are
/// older than <see cref="OidcOptions.RefreshInterval"/>, waits for one fetch, at most once per
/// <see cref="OidcOptions.MinimumRefreshInterval"/>; a fetch that fails or brings a bad document is logged and the last
/// good keys stay in use. Until a first fetch succeeds there are no keys, and every OIDC token is refused.
/// </summary>
internal sealed partial class OidcDiscovery : IDisposable
{
    // A provider that does not answer must not hold a token's check (and those queued behind it) for long.
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly OidcOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly HttpDocumentRetriever _retriever;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile OidcKeySet? _current;
    private DateTimeOffset? _lastAttempt;

    /// <exception cref="ArgumentException">An address, interval or CA file is unusable; the message names the setting.</exception>
    public OidcDiscovery(OidcOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        Address = options.MetadataAddress ?? options.Issuer!.TrimEnd('/') + "/.well-known/openid-configuration";
        var setting = options.MetadataAddress is null ? "Orchestrator:Security:Oidc:Issuer" : "Orchestrator:Security:Oidc:MetadataAddress";
        if (!Uri.TryCreate(Address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"{setting}: '{Address}' is not an absolute http(s) address of a discovery document");
        if (options.RequireHttpsMetadata && uri.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"{setting}: '{Address}' is not HTTPS (set Orchestrator:Security:Oidc:RequireHttpsMetadata=false only for a provider on a trusted network)");
        if (options.RefreshInterval <= TimeSpan.Zero)
            throw new ArgumentException($"Orchestrator:Security:Oidc:RefreshInterval must be positive, got {options.RefreshInterval}");
        if (options.MinimumRefreshInterval <= TimeSpan.Zero || options.MinimumRefreshInterval > options.RefreshInterval)
            throw new ArgumentException($"Orchestrator:Security:Oidc:MinimumRefreshInterval must be positive and at most RefreshInterval ({options.RefreshInterval}), got {options.MinimumRefreshInterval}");
        var handler = new SocketsHttpHandler();
        if (options.CaFile is not null)
        {
            // Chain to the private CA only; the host name is still checked by TLS as usual.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(TransportCertificates.LoadAuthorities(options.CaFile, "Orchestrator:Security:Oidc:CaFile"));
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        _http = new HttpClient(handler) { Timeout = FetchTimeout };
        _retriever = new HttpDocumentRetriever(_http) { RequireHttps = options.RequireHttpsMetadata };
    }

    /// <summary>Where the discovery document is read.</summary>
    public string Address { get; }

    /// <summary>The keys to check a token with: fetched first when there are none yet or they are older than the refresh interval.</summary>
    public async ValueTask<OidcKeySet?> KeysAsync(CancellationToken cancellation)
    {
        var current = _current;
        if (current is not null && _time.GetUtcNow() - current.FetchedAt < _options.RefreshInterval) return current;
        // Stale keys still serve while another call fetches: only the caller that fetches waits for the provider.
        if (current is not null && _fetching.CurrentCount == 0) return current;
        return await RefreshAsync(current, cancellation);
    }

    /// <summary>
    /// Fetches the keys again unless another call already replaced <paramref name="seen"/> or the last fetch was within
    /// the minimum interval; returns the keys in force afterwards (the last good ones when the fetch failed).
    /// </summary>
    public async Task<OidcKeySet?> RefreshAsync(OidcKeySet? seen, CancellationToken cancellation)
    {
        await _fetching.WaitAsync(cancellation);
        try
        {
            if (!ReferenceEquals(_current, seen)) return _current;
            var now = _time.GetUtcNow();
            if (_lastAttempt is { } last && now - last < _options.MinimumRefreshInterval) return _current;
            _lastAttempt = now;
            if (await FetchAsync(cancellation) is { } keys) _current = new OidcKeySet(keys, now);
            return _current;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<IReadOnlyList<SecurityKey>?> FetchAsync(CancellationToken cancellation)
    {
        OpenIdConnectConfiguration document;
        try
        {
            document = await OpenIdConnectConfigurationRetriever.GetAsync(Address, _retriever, cancellation);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException
            or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            // The library wraps network and HTTP failures in an IOException whose inner exception says what happened.
            Refused(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
            return null;
        }

        if (!string.Equals(document.Issuer, _options.Issuer, StringComparison.Ordinal))
        {
            // OpenID Connect Discovery 1.0, section 4.3: the issuer in the document must be exactly the one configured.
            Refused($"the document names issuer '{document.Issuer}', not the configured '{_options.Issuer}'");
            return null;
        }

        if (document.SigningKeys.Count == 0)
        {
            Refused($"its key set (jwks_uri '{document.JwksUri}') holds no signing key");
            return null;
        }

        LogFetched(Address, document.SigningKeys.Count, string.Join(", ", document.SigningKeys.Select(k => k.KeyId)));
        return [.. document.SigningKeys];
    }

    private void Refused(string problem)
    {
        if (_current is { } kept) LogFailedKeepingKeys(Address, problem, kept.FetchedAt);
        else LogFailedWithoutKeys(Address, problem);
    }

    public void Dispose()
    {
        _http.Dispose();
        _fetching.Dispose();
    }

    [LoggerMessage(EventId = 9020, Level = LogLevel.Information, Message = "OIDC keys fetched through {Address}: {Count} signing key(s) ({KeyIds})")]
    private partial void LogFetched(string address, int count, string keyIds);

    [LoggerMessage(EventId = 9021, Level = LogLevel.Error, Message = "OIDC discovery through {Address} failed, every OIDC token is refused until a fetch succeeds: {Problem}")]
    private partial void LogFailedWithoutKeys(string address, string problem);

    [LoggerMessage(EventId = 9022, Level = LogLevel.Warning, Message = "OIDC discovery through {Address} failed, the keys fetched at {FetchedAt:u} stay in use: {Problem}")]
    private partial void LogFailedKeepingKeys(string address, string problem, DateTimeOffset fetchedAt);
}
