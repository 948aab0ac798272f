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

    /// <summary>
    /// The provider's signing keys as a JSON Web Key Set file (the document its <c>jwks_uri</c> serves), read once at
    /// start. Null: the keys are discovered from the issuer (<see cref="MetadataAddress"/>) and refreshed while the silo runs.
    /// </summary>
    public string? JwksFile { get; set; }

    /// <summary>The discovery document's address; null: <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>PEM CA certificate(s) the provider's HTTPS certificate must chain to (a private CA); null: the machine's roots.</summary>
    public string? CaFile { get; set; }

    /// <summary>Refuse a discovery or key address that is not HTTPS (turn off only for a provider on a trusted network).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How old discovered keys may grow before the next token waits for them to be fetched again (a withdrawn key is refused from then on).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The least time between two fetches: a token naming an unknown key fetches again at most this often, and so does a failing provider.</summary>
    public TimeSpan MinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The claim that names the user (jobs are owned by it).</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>The claim holding the caller's roles (a string or an array of strings).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Role claim values to roles (for example <c>ml-admins</c>: <c>Admin</c>); empty: the values are role names (user, operator, admin).</summary>
    public Dictionary<string, Role> Roles { get; set; } = [];

    /// <summary>How far clocks may disagree when expiry and not-before times are checked.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}
