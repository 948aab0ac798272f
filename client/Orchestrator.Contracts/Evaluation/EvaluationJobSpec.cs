using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// A <c>kind: EvaluationJob</c> document: which model to evaluate on which scenarios, how prompts are built, which
/// perturbations and metrics apply, and how the run is cut into shards placed by the scheduler.
/// </summary>
/// <param name="Metadata">Name, queue and priority (shards are queued with them).</param>
/// <param name="Model">The model: a training job's checkpoint or an OpenAI-compatible endpoint.</param>
/// <param name="Scenarios">The scenarios, each with its adapter.</param>
/// <param name="Perturbations">Perturbations applied to every evaluated instance (each adds a perturbed copy).</param>
/// <param name="Metrics">Reference metrics scored on generations (e.g. <c>exact_match</c>).</param>
/// <param name="Shards">How many shards the run is cut into; null for <c>auto</c>.</param>
/// <param name="Resources">Devices per shard (more than one: a tensor-parallel gang) and their type.</param>
/// <param name="MaxInstances">At most this many evaluated instances per scenario (the first ones); null for all.</param>
/// <param name="ShardAttempts">How many times one shard is launched before the run fails.</param>
/// <param name="Profiles">HELM runtime-profile files for idealized and denoised runtime; null for none.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationJobSpec(
    [property: Id(0)] JobMetadata Metadata,
    [property: Id(1)] EvaluationModelSpec Model,
    [property: Id(2)] IReadOnlyList<EvaluationScenarioSpec> Scenarios,
    [property: Id(3)] IReadOnlyList<PerturbationSpec> Perturbations,
    [property: Id(4)] IReadOnlyList<string> Metrics,
    [property: Id(5)] int? Shards,
    [property: Id(6)] ResourcesSpec Resources,
    [property: Id(7)] int? MaxInstances = null,
    [property: Id(8)] int ShardAttempts = 3,
    [property: Id(9)] RuntimeProfilesSpec? Profiles = null)
{
    /// <summary>The document kind.</summary>
    public const string Kind = "EvaluationJob";
}
