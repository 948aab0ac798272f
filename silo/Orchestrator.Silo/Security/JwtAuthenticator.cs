using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Checks OIDC/JWT bearer tokens with Microsoft.IdentityModel (signature against the provider's keys, from a JWKS file
/// or discovered from the issuer and refreshed, <see cref="OidcDiscovery"/>; issuer, audience, expiry) and maps their claims to a <see cref="Principal"/>: the user claim, and the highest role among the
/// role claim's values. A token without a user or a known role proves nothing. Such tokens are not remembered among the
/// verified credentials: each expires on its own schedule, and a provider's tokens are many and short-lived.
/// </summary>
internal sealed class JwtAuthenticator : IDisposable
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly OidcOptions _options;
    private readonly OidcDiscovery? _discovery;
    // The discovered keys last checked against and the parameters made for them (replaced together when keys change).
    private volatile Checking? _checking;

    /// <exception cref="ArgumentException">A setting is missing or the key set unreadable; the message names the setting.</exception>
    public JwtAuthenticator(OidcOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        if (string.IsNullOrWhiteSpace(options.Audience)) throw new ArgumentException("Orchestrator:Security:Oidc:Audience is required with an Issuer");
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKeys = options.JwksFile is null ? [] : KeysOf(options.JwksFile),
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,
        };
        if (options.JwksFile is null) _discovery = new OidcDiscovery(options, logger, time);
    }

    /// <summary>
    /// Whether <paramref name="token"/> has a JWT's shape: three dot-separated parts, the first a base64url JSON object
    /// (so it starts <c>eyJ</c>, which no API token or attempt secret does).
    /// </summary>
    public static bool LooksLikeJwt(string token) => token.StartsWith("eyJ", StringComparison.Ordinal) && token.AsSpan().Count('.') == 2;

    /// <summary>The principal a valid token proves, or null.</summary>
    public async ValueTask<Principal?> AuthenticateAsync(string token)
    {
        var result = _discovery is null ? await _handler.ValidateTokenAsync(token, _parameters) : await ValidateDiscoveredAsync(token);
        if (result is not { IsValid: true }) return null;
        var user = result.ClaimsIdentity.FindFirst(_options.UserClaim)?.Value;
        if (string.IsNullOrWhiteSpace(user)) return null;
        Role? role = null;
        foreach (var claim in result.ClaimsIdentity.FindAll(_options.RoleClaim))
        {
            if (RoleOf(claim.Value) is { } granted && (role is null || granted > role)) role = granted;
        }

        // Bounded by the number of users (the access filter notes each id's first use).
        return role is null ? null : new Principal(user, role, [], $"oidc:{user}", null);
    }

    /// <summary>Fetches discovered keys now, if there are none yet (failures are logged by the discovery).</summary>
    public async Task PrepareAsync(CancellationToken cancellation)
    {
        if (_discovery is not null) await _discovery.KeysAsync(cancellation);
    }

    public void Dispose() => _discovery?.Dispose();

    /// <summary>Checks against the discovered keys; a token naming a key they lack has them fetched again first (the provider may have rotated).</summary>
    private async ValueTask<TokenValidationResult?> ValidateDiscoveredAsync(string token)
    {
        var keys = await _discovery!.KeysAsync(CancellationToken.None);
        if (keys is null) return null;
        var result = await _handler.ValidateTokenAsync(token, ParametersFor(keys));
        if (result.IsValid || result.Exception is not SecurityTokenSignatureKeyNotFoundException) return result;
        var refreshed = await _discovery.RefreshAsync(keys, CancellationToken.None);
        return refreshed is null || ReferenceEquals(refreshed, keys) ? result : await _handler.ValidateTokenAsync(token, ParametersFor(refreshed));
    }

    private TokenValidationParameters ParametersFor(OidcKeySet keys)
    {
        if (_checking is { } checking && ReferenceEquals(checking.Keys, keys)) return checking.Parameters;
        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeys = keys.Keys;
        _checking = new Checking(keys, parameters);
        return parameters;
    }

    private static IList<SecurityKey> KeysOf(string jwksFile)
    {
        if (!File.Exists(jwksFile))
            throw new ArgumentException($"Orchestrator:Security:Oidc:JwksFile '{jwksFile}' does not exist (the issuer's JSON Web Key Set)");
        IList<SecurityKey> keys;
        try
        {
            keys = new JsonWebKeySet(File.ReadAllText(jwksFile)).GetSigningKeys();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Orchestrator:Security:Oidc:JwksFile '{jwksFile}' is not a JSON Web Key Set: {e.Message}", e);
        }

        return keys.Count > 0 ? keys : throw new ArgumentException($"Orchestrator:Security:Oidc:JwksFile '{jwksFile}' holds no signing key");
    }

    private sealed record Checking(OidcKeySet Keys, TokenValidationParameters Parameters);

    private Role? RoleOf(string value) =>
        _options.Roles.Count > 0
            ? _options.Roles.TryGetValue(value, out var mapped) ? mapped : null
            : Enum.TryParse<Role>(value, ignoreCase: true, out var named) && Enum.IsDefined(named) && !int.TryParse(value, out _) ? named : null;
}
