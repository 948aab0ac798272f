using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// The job a job-scoped grain's key is about. A pipeline stage's key is "job/stage" and an evaluation shard's
/// "run/shard"; every other job-scoped grain's key is the job (or run) id itself. A shard's workers hold the secret of
/// the shard's own attempt, so for <see cref="AccessScope.AttemptWorker"/> the whole shard key is what they answer for.
/// </summary>
internal static class JobScopedKeys
{
    public static string JobOf(Type? grainInterface, string key, AccessScope scope) =>
        IsPartKey(grainInterface) && !(grainInterface == typeof(IEvaluationShardGrain) && scope == AccessScope.AttemptWorker) &&
        key.LastIndexOf('/') is > 0 and var slash
            ? key[..slash]
            : key;

    /// <summary>Why the key is refused (a job id that could climb out of a folder, a part that is not a number), or null.</summary>
    public static string? Problem(Type? grainInterface, string key)
    {
        if (!IsPartKey(grainInterface)) return JobIdSyntax.Problem(key);
        var slash = key.LastIndexOf('/');
        if (slash <= 0) return $"key '{key}' must be JOB/NUMBER";
        return JobIdSyntax.Problem(key[..slash]) ?? (int.TryParse(key[(slash + 1)..], out var part) && part >= 0 ? null : $"key '{key}' must end in a part number");
    }

    private static bool IsPartKey(Type? grainInterface) =>
        grainInterface == typeof(IPipelineStageGrain) || grainInterface == typeof(IEvaluationShardGrain);
}
