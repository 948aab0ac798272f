using System.Text.RegularExpressions;

namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// The one rule for queue names (<c>metadata.queue</c>), used by the SDK before submitting, by the job grain before it
/// stores anything, and by the scheduler's queues: a DNS label, so a queue name can also be a Kubernetes label value.
/// </summary>
public static partial class QueueNames
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "1-63 lower-case letters, digits or '-', starting and ending with a letter or digit";

    /// <summary>True when <paramref name="queue"/> is a valid queue name.</summary>
    public static bool IsValid(string? queue) => queue is not null && Label().IsMatch(queue);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
