using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>
/// Names and labels of an attempt's objects: Service <c>JOB-aN</c>, pods <c>JOB-aN-nR</c> (R = node rank). Names are
/// DNS labels (63 characters, starting with a letter), so a long job id is cut and given a short hash to stay unique.
/// </summary>
internal static class PodNames
{
    public const string ManagedBy = "orchestrator";
    public const string JobLabel = "orchestrator.io/job";
    public const string AttemptLabel = "orchestrator.io/attempt";
    public const string NodeRankLabel = "orchestrator.io/node-rank";
    public const string JobAnnotation = "orchestrator.io/job-id";
    public const string NodeAnnotation = "orchestrator.io/node";
    public const string DevicesAnnotation = "orchestrator.io/devices";
    public const string PlacementAnnotation = "orchestrator.io/placement";
    public const string ManagedBySelector = "app.kubernetes.io/managed-by=" + ManagedBy;

    /// <summary>The headless Service of an attempt (the pods' DNS subdomain).</summary>
    public static string Service(string jobId, int attempt) => $"{Label(jobId, 50)}-a{attempt}";

    /// <summary>The pod of node rank <paramref name="nodeRank"/> of an attempt.</summary>
    public static string Pod(string jobId, int attempt, int nodeRank) => $"{Service(jobId, attempt)}-n{nodeRank}";

    /// <summary>Selects every pod of an attempt.</summary>
    public static string AttemptSelector(string jobId, int attempt) => $"{JobLabel}={Label(jobId, 63)},{AttemptLabel}={attempt}";

    public static Dictionary<string, string> Labels(string jobId, int attempt, int? nodeRank)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/name"] = "orchestrator-worker",
            ["app.kubernetes.io/instance"] = Label(jobId, 63),
            ["app.kubernetes.io/component"] = "trainer",
            ["app.kubernetes.io/part-of"] = "orchestrator",
            ["app.kubernetes.io/managed-by"] = ManagedBy,
            [JobLabel] = Label(jobId, 63),
            [AttemptLabel] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (nodeRank is { } rank) labels[NodeRankLabel] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return labels;
    }

    /// <summary>A label's or annotation's value, or null (the models type them as plain dictionaries, possibly absent).</summary>
    public static string? Get(IDictionary<string, string>? values, string key) =>
        values is not null && values.TryGetValue(key, out var value) ? value : null;

    /// <summary>A DNS label of at most <paramref name="limit"/> characters that starts with a letter and is unique per job id.</summary>
    private static string Label(string jobId, int limit)
    {
        var text = new string(jobId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray()).Trim('-');
        if (text.Length == 0 || !char.IsAsciiLetter(text[0])) text = "j-" + text;
        if (text.Length <= limit && text == jobId) return text;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jobId)))[..6];
        var keep = Math.Min(text.Length, limit - hash.Length - 1);
        return $"{text[..keep].TrimEnd('-')}-{hash}";
    }
}
