using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>The model a run evaluates, once the run has resolved its spec.</summary>
/// <param name="ModelId">What the results and the request cache call it (<c>builtin:JOB@STEP</c>, <c>openai:URL#MODEL</c>).</param>
/// <param name="CheckpointJobId">The training job whose checkpoint is loaded; null for an endpoint.</param>
/// <param name="CheckpointStep">The checkpoint's step; null for an endpoint.</param>
/// <param name="Architecture">The training job's model spec (the built-in GPT's shape); null for an endpoint.</param>
/// <param name="Endpoint">The endpoint; null for a checkpoint.</param>
/// <param name="Version">The model version of the lineage graph the spec named (<c>from: NAME@VERSION</c>), fixed when the run
/// was submitted so a moved tag does not change what it evaluated; null when the spec named a checkpoint or an endpoint.</param>
[GenerateSerializer, Immutable]
public sealed record ResolvedModel(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string? CheckpointJobId = null,
    [property: Id(2)] long? CheckpointStep = null,
    [property: Id(3)] ModelSpec? Architecture = null,
    [property: Id(4)] EndpointModelSpec? Endpoint = null,
    [property: Id(5)] string? Version = null)
{
    /// <summary>The id of the built-in GPT loaded from a checkpoint (the form the built-in client reports).</summary>
    public static string BuiltinId(string jobId, long step) => $"builtin:{jobId}@{step}";

    /// <summary>The id of an endpoint's model.</summary>
    public static string EndpointId(EndpointModelSpec endpoint) => $"openai:{endpoint.Url}#{endpoint.Model}";
}
