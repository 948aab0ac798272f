namespace Orchestrator.Contracts.Security;

/// <summary>
/// The Orleans request-context entries that carry a caller's credential: every client call sets
/// <see cref="Token"/> (an API token or a worker's attempt secret), and the silo reads it in its access filter.
/// </summary>
public static class CredentialKeys
{
    /// <summary>The caller's token.</summary>
    public const string Token = "orch.token";

    /// <summary>The environment variable the CLI and SDK read a token from when none is given.</summary>
    public const string TokenEnvironment = "ORCH_TOKEN";
}
