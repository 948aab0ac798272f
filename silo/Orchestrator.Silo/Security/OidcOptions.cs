using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// OIDC/JWT bearer tokens (section <c>Orchestrator:Security:Oidc</c>): tokens an identity provider signed, accepted
/// alongside the auth file's API tokens on the gateway and the HTTP API. Off unless <see cref="Issuer"/> is set.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>The issuer (<c>iss</c>) tokens must name, for example <c>https://login.example.com/realms/ml</c>; null: off.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>) tokens must name: this control plane's client id at the provider.</summary>
    public string? Audience { get; set; }

    /// <summary>The provider's signing keys as a JSON Web Key Set file (the document its <c>jwks_uri</c> serves).</summary>
    public string? JwksFile { get; set; }

    /// <summary>The claim that names the user (jobs are owned by it).</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>The claim holding the caller's roles (a string or an array of strings).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Role claim values to roles (for example <c>ml-admins</c>: <c>Admin</c>); empty: the values are role names (user, operator, admin).</summary>
    public Dictionary<string, Role> Roles { get; set; } = [];

    /// <summary>How far clocks may disagree when expiry and not-before times are checked.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}
