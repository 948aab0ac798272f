namespace Orchestrator.Silo.Security;

/// <summary>Request-context entries only the silo writes.</summary>
internal static class SecurityKeys
{
    /// <summary>The internal-call marker (see <see cref="Authenticator.InternalMarker"/>).</summary>
    public const string Internal = "orch.internal";

    /// <summary>Set by the HTTP API on calls it makes for a request: they are checked as the request's caller, not as the silo's own.</summary>
    public const string OnBehalf = "orch.on-behalf";
}
