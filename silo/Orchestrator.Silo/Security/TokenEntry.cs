using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>One API token as kept at rest: its SHA-256, never the token itself.</summary>
/// <param name="Id">A short name for audit lines (not secret).</param>
/// <param name="User">Who holds it.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Queues">The queues a user may submit to; empty for every queue.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the token's UTF-8 text.</param>
/// <param name="Created">When it was made.</param>
internal sealed record TokenEntry(string Id, string User, Role Role, IReadOnlyList<string> Queues, string Sha256, DateTimeOffset Created);
