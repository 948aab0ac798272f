using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Checks OIDC/JWT bearer tokens with Microsoft.IdentityModel (signature against the configured key set, issuer,
/// audience, expiry) and maps their claims to a <see cref="Principal"/>: the user claim, and the highest role among the
/// role claim's values. A token without a user or a known role proves nothing. Such tokens are not remembered among the
/// verified credentials: each expires on its own schedule, and a provider's tokens are many and short-lived.
/// </summary>
internal sealed class JwtAuthenticator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly OidcOptions _options;

    /// <exception cref="ArgumentException">A setting is missing or the key set unreadable; the message names the setting.</exception>
    public JwtAuthenticator(OidcOptions options)
    {
        _options = options;
        if (string.IsNullOrWhiteSpace(options.Audience)) throw new ArgumentException("Orchestrator:Security:Oidc:Audience is required with an Issuer");
        if (options.JwksFile is null || !File.Exists(options.JwksFile))
            throw new ArgumentException($"Orchestrator:Security:Oidc:JwksFile '{options.JwksFile}' does not exist (the issuer's JSON Web Key Set)");
        IList<SecurityKey> keys;
        try
        {
            keys = new JsonWebKeySet(File.ReadAllText(options.JwksFile)).GetSigningKeys();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Orchestrator:Security:Oidc:JwksFile '{options.JwksFile}' is not a JSON Web Key Set: {e.Message}", e);
        }

        if (keys.Count == 0) throw new ArgumentException($"Orchestrator:Security:Oidc:JwksFile '{options.JwksFile}' holds no signing key");
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKeys = keys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,
        };
    }

    /// <summary>
    /// Whether <paramref name="token"/> has a JWT's shape: three dot-separated parts, the first a base64url JSON object
    /// (so it starts <c>eyJ</c>, which no API token or attempt secret does).
    /// </summary>
    public static bool LooksLikeJwt(string token) => token.StartsWith("eyJ", StringComparison.Ordinal) && token.AsSpan().Count('.') == 2;

    /// <summary>The principal a valid token proves, or null.</summary>
    public async ValueTask<Principal?> AuthenticateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid) return null;
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

    private Role? RoleOf(string value) =>
        _options.Roles.Count > 0
            ? _options.Roles.TryGetValue(value, out var mapped) ? mapped : null
            : Enum.TryParse<Role>(value, ignoreCase: true, out var named) && Enum.IsDefined(named) && !int.TryParse(value, out _) ? named : null;
}
