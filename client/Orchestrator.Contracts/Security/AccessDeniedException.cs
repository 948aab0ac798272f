namespace Orchestrator.Contracts.Security;

/// <summary>The control plane refused a call: no valid credential, or the caller may not do this.</summary>
[GenerateSerializer]
public sealed class AccessDeniedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="authenticated">False when the call carried no valid credential (HTTP 401), true when it was refused (403).</param>
    /// <param name="message">What was refused and why.</param>
    public AccessDeniedException(bool authenticated, string message)
        : base(message) => Authenticated = authenticated;

    /// <summary>False when the call carried no valid credential; true when the caller is known but may not do this.</summary>
    [Id(0)]
    public bool Authenticated { get; private set; }
}
