using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// The job a job-scoped grain's key is about. A pipeline stage's key is "job/stage" and an evaluation shard's
/// "run/shard" (a run that follows a training job has one id per checkpoint, RUN@STEP); every other job-scoped grain's key is the job (or run) id itself. A shard's workers hold the secret of
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
        if (!IsPartKey(grainInterface)) return IdProblem(grainInterface, key);
        var slash = key.LastIndexOf('/');
        if (slash <= 0) return $"key '{key}' must be JOB/NUMBER";
        return IdProblem(grainInterface, key[..slash]) ?? (IsNumber(key[(slash + 1)..]) ? null : $"key '{key}' must end in a part number");
    }

    // An evaluation that follows a training job runs once per checkpoint, as RUN@STEP: a job id and a step number.
    private static string? IdProblem(Type? grainInterface, string id) =>
        IsEvaluation(grainInterface) && id.LastIndexOf('@') is > 0 and var at && IsNumber(id[(at + 1)..])
            ? JobIdSyntax.Problem(id[..at])
            : JobIdSyntax.Problem(id);

    private static bool IsNumber(string text) => text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit);

    private static bool IsEvaluation(Type? grainInterface) =>
        grainInterface == typeof(IEvaluationRunGrain) || grainInterface == typeof(IEvaluationShardGrain);

    private static bool IsPartKey(Type? grainInterface) =>
        grainInterface == typeof(IPipelineStageGrain) || grainInterface == typeof(IEvaluationShardGrain);
}
