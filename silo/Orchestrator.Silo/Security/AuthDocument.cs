namespace Orchestrator.Silo.Security;

/// <summary>
/// The auth file's content: the cluster key (every silo of a cluster shares it; it signs attempt secrets and marks
/// calls made inside the control plane) and the tokens.
/// </summary>
/// <param name="ClusterKey">32 random bytes, base64.</param>
/// <param name="Tokens">Every token, hashed.</param>
internal sealed record AuthDocument(string ClusterKey, IReadOnlyList<TokenEntry> Tokens);
