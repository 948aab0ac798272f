using System.Text.RegularExpressions;

namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// What a job id may look like: a job's name (a DNS subdomain) and a suffix, at most 63 characters, never a path.
/// The control plane checks every id a client sends, because ids become folder names (worker logs, checkpoints).
/// </summary>
public static partial class JobIdSyntax
{
    /// <summary>The longest id.</summary>
    public const int MaxLength = 63;

    /// <summary>True when <paramref name="id"/> is a well-formed job id.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal);

    /// <summary>Why <paramref name="id"/> is refused, or null when it is valid.</summary>
    public static string? Problem(string? id) => IsValid(id)
        ? null
        : $"job id '{Shorten(id)}' is not valid: 1-{MaxLength} lower-case letters, digits, '-' or '.', starting and ending with a letter or digit";

    private static string Shorten(string? id) => id is null ? "" : id.Length > 80 ? id[..80] + "…" : id;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex Pattern();
}
