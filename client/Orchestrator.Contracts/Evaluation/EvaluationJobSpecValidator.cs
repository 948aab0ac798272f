using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// The rules an evaluation job document must satisfy on its own. The SDK runs them before submitting and the control
/// plane again on receipt. Errors name the field by path, as for training jobs.
/// </summary>
public static class EvaluationJobSpecValidator
{
    /// <summary>Reference metrics the spec may name (HELM's spelling; the evaluation library computes each).</summary>
    public static IReadOnlyList<string> ReferenceMetrics { get; } =
        ["exact_match", "quasi_exact_match", "prefix_exact_match", "quasi_prefix_exact_match", "f1_score", "rouge_l", "bleu_4"];

    /// <summary>Endpoint APIs.</summary>
    public static IReadOnlyList<string> Apis { get; } = ["completions", "chat"];

    /// <summary>The most shards one run may have.</summary>
    public const int MaxShards = 256;

    /// <summary>Every rule broken by <paramref name="spec"/>, in document order; empty when it is valid.</summary>
    public static IReadOnlyList<SpecError> Validate(EvaluationJobSpec spec)
    {
        var errors = new List<SpecError>();
        void Fail(string path, string message) => errors.Add(new SpecError(path, message));

        // Metadata follows the training job's rules (same names, queues and priorities).
        errors.AddRange(TrainingJobSpecValidator.ValidateMetadata(spec.Metadata));
        ValidateModel(spec.Model, Fail);
        if (spec.Scenarios.Count == 0) Fail("spec.scenarios", "needs at least one scenario");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Scenarios.Count; i++)
        {
            var scenario = spec.Scenarios[i];
            var path = $"spec.scenarios[{i}]";
            if (!names.Add(scenario.Name)) Fail($"{path}.name", $"'{scenario.Name}' is used by another scenario; names must be unique");
            if (scenario.Name.Length == 0 || scenario.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                Fail($"{path}.name", $"'{scenario.Name}' must be letters, digits, '-', '_' or '.' (it names a results folder)");
            if (scenario.Source.StartsWith(EvaluationScenarioSpec.FilePrefix, StringComparison.Ordinal)
                    ? scenario.Source.Length == EvaluationScenarioSpec.FilePrefix.Length
                    : scenario.Source.Length == 0)
                Fail($"{path}.source", "must be a built-in scenario name or file:PATH.jsonl");
            ValidateAdapter(scenario.Adapter, $"{path}.adapter", Fail);
        }

        for (var i = 0; i < spec.Perturbations.Count; i++)
        {
            var p = spec.Perturbations[i];
            if (!PerturbationSpec.Names.Contains(p.Name))
                Fail($"spec.perturbations[{i}].name", $"'{p.Name}' is not a perturbation; allowed: {string.Join(", ", PerturbationSpec.Names)}");
            if (p.Probability is { } probability && !(probability is >= 0 and <= 1))
                Fail($"spec.perturbations[{i}].probability", $"must be between 0 and 1, got {probability}");
        }

        for (var i = 0; i < spec.Metrics.Count; i++)
        {
            if (!ReferenceMetrics.Contains(spec.Metrics[i]))
                Fail($"spec.metrics[{i}]", $"'{spec.Metrics[i]}' is not a reference metric; allowed: {string.Join(", ", ReferenceMetrics)}");
        }

        if (spec.Shards is { } shards && shards is < 1 or > MaxShards)
            Fail("spec.shards", $"must be auto or between 1 and {MaxShards}, got {shards}");
        if (spec.Resources.Gpus < 1) Fail("spec.resources.gpus", $"must be a positive integer (devices per shard), got {spec.Resources.Gpus}");
        if (spec.Resources.MinGpus is not null) Fail("spec.resources.minGpus", "is not used by evaluation jobs (a shard runs on all its devices or waits)");
        GpuShareRules.Check(spec.Resources, Fail);
        if (spec.MaxInstances is { } max && max < 1) Fail("spec.maxInstances", $"must be a positive integer, got {max}");
        if (spec.ShardAttempts is < 1 or > 100) Fail("spec.shardAttempts", $"must be between 1 and 100, got {spec.ShardAttempts}");
        if (spec.Profiles is { } profiles && string.IsNullOrEmpty(profiles.Idealized))
            Fail("spec.profiles.idealized", "is required with profiles");
        return errors;
    }

    private static void ValidateModel(EvaluationModelSpec model, Action<string, string> fail)
    {
        if (new object?[] { model.Checkpoint, model.Endpoint, model.From }.Count(m => m is not null) != 1)
        {
            fail("spec.model", "needs exactly one of checkpoint { job, step }, endpoint { url, model, api } or from: NAME@VERSION");
            return;
        }

        if (model.From is { } from && !ModelReference.TryParse(from, out _, out var fromProblem)) fail("spec.model.from", fromProblem);

        if (model.Checkpoint is { } checkpoint)
        {
            if (checkpoint.Job.Length == 0) fail("spec.model.checkpoint.job", "is required (a training job's id or name)");
            if (checkpoint.Step is not (CheckpointModelSpec.Latest or CheckpointModelSpec.Every) && checkpoint.FixedStep is null)
                fail("spec.model.checkpoint.step", $"'{checkpoint.Step}' must be a step number, latest or every");
        }

        if (model.Endpoint is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                fail("spec.model.endpoint.url", $"'{endpoint.Url}' must be an absolute http or https URL");
            if (endpoint.Model.Length == 0) fail("spec.model.endpoint.model", "is required (the model name the server knows)");
            if (!Apis.Contains(endpoint.Api)) fail("spec.model.endpoint.api", $"'{endpoint.Api}' is not supported; allowed: {string.Join(", ", Apis)}");
            if (endpoint.ApiKeyEnv is not null && endpoint.ApiKeyFile is not null)
                fail("spec.model.endpoint", "give apiKeyEnv or apiKeyFile, not both");
        }
    }

    private static void ValidateAdapter(EvaluationAdapterSpec adapter, string path, Action<string, string> fail)
    {
        if (!EvaluationAdapterSpec.Methods.Contains(adapter.Method))
            fail($"{path}.method", $"'{adapter.Method}' is not an adapter; allowed: {string.Join(", ", EvaluationAdapterSpec.Methods)}");
        if (adapter.MaxTrainInstances < 0) fail($"{path}.maxTrainInstances", $"must be 0 or more, got {adapter.MaxTrainInstances}");
        if (adapter.NumTrainTrials < 1) fail($"{path}.numTrainTrials", $"must be a positive integer, got {adapter.NumTrainTrials}");
        if (adapter.NumOutputs < 1) fail($"{path}.numOutputs", $"must be a positive integer, got {adapter.NumOutputs}");
        if (adapter.MaxTokens < 0) fail($"{path}.maxTokens", $"must be 0 or more, got {adapter.MaxTokens}");
        if (!(adapter.Temperature >= 0 && double.IsFinite(adapter.Temperature)))
            fail($"{path}.temperature", $"must be 0 or more, got {adapter.Temperature}");
        if (adapter.StopSequences is { } stops && stops.Any(string.IsNullOrEmpty))
            fail($"{path}.stopSequences", "entries must not be empty");
    }
}
