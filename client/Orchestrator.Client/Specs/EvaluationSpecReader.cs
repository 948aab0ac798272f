using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Specs;

/// <summary>Maps the fields of an EvaluationJob document onto the spec records (structure only; rules come after).</summary>
internal static class EvaluationSpecReader
{
    /// <summary>HELM's usual reference metrics for generation, when the document names none.</summary>
    private static readonly IReadOnlyList<string> DefaultMetrics = ["exact_match", "quasi_exact_match", "f1_score"];

    /// <summary>Reads the document; <paramref name="root"/>'s apiVersion and kind were checked by the caller.</summary>
    public static EvaluationJobSpec? Read(YamlObject root)
    {
        var metadata = JobSpecReader.ReadMetadata(root.Object("metadata", required: true));
        var spec = root.Object("spec", required: true);
        root.RejectUnknown();
        if (spec is null || metadata is null) return null;

        var model = ReadModel(spec.Object("model", required: true));
        var adapter = ReadAdapter(spec.Object("adapter", required: false), new EvaluationAdapterSpec());
        var scenarios = ReadScenarios(spec, adapter);
        var perturbations = ReadPerturbations(spec);
        var metrics = spec.StringList("metrics") ?? DefaultMetrics;
        var shards = ReadShards(spec);
        var resources = spec.Object("resources", required: false) is { } r ? JobSpecReader.ReadResources(r) : new ResourcesSpec(1);
        var maxInstances = spec.Int("maxInstances", required: false);
        var attempts = spec.Int("shardAttempts", required: false, 3)!.Value;
        var profiles = ReadProfiles(spec.Object("profiles", required: false));
        spec.RejectUnknown();
        if (model is null || scenarios is null || resources is null) return null;
        return new EvaluationJobSpec(metadata, model, scenarios, perturbations, metrics, shards, resources, maxInstances, attempts, profiles);
    }

    private static EvaluationModelSpec? ReadModel(YamlObject? o)
    {
        if (o is null) return null;
        CheckpointModelSpec? checkpoint = null;
        EndpointModelSpec? endpoint = null;
        if (o.Object("checkpoint", required: false) is { } c)
        {
            var job = c.String("job", required: true);
            var step = c.String("step", required: false, CheckpointModelSpec.Latest)!;
            c.RejectUnknown();
            if (job is not null) checkpoint = new CheckpointModelSpec(job, step);
        }

        if (o.Object("endpoint", required: false) is { } e)
        {
            var url = e.String("url", required: true);
            var name = e.String("model", required: true);
            var api = e.String("api", required: false, "completions")!;
            var keyEnv = e.String("apiKeyEnv", required: false);
            var keyFile = e.String("apiKeyFile", required: false);
            // A key written into the document would be stored with the run and shown to anyone who reads it.
            if (e.Node("apiKey") is { } key) e.Error("apiKey", "API keys are never read from the spec; use apiKeyEnv: VARIABLE or apiKeyFile: PATH", key);
            e.RejectUnknown();
            if (url is not null && name is not null) endpoint = new EndpointModelSpec(url, name, api, keyEnv, keyFile);
        }

        // A model version of the lineage graph, as a training job's model.from names one; its form is checked with the rules.
        var from = o.String("from", required: false);
        o.RejectUnknown();
        return new EvaluationModelSpec(checkpoint, endpoint, from);
    }

    private static EvaluationAdapterSpec ReadAdapter(YamlObject? o, EvaluationAdapterSpec defaults)
    {
        if (o is null) return defaults;
        var adapter = new EvaluationAdapterSpec(
            o.String("method", required: false, defaults.Method)!,
            RawString(o, "instructions", defaults.Instructions),
            RawString(o, "inputPrefix", defaults.InputPrefix),
            RawString(o, "outputPrefix", defaults.OutputPrefix),
            o.Int("maxTrainInstances", required: false, defaults.MaxTrainInstances)!.Value,
            o.Int("numTrainTrials", required: false, defaults.NumTrainTrials)!.Value,
            o.Int("numOutputs", required: false, defaults.NumOutputs)!.Value,
            o.Int("maxTokens", required: false, defaults.MaxTokens)!.Value,
            o.Double("temperature", required: false, defaults.Temperature)!.Value,
            o.StringList("stopSequences") ?? defaults.StopSequences);
        o.RejectUnknown();
        return adapter;
    }

    /// <summary>Prefixes and instructions may be empty or end in spaces, which a plain string field refuses.</summary>
    private static string RawString(YamlObject o, string key, string fallback) =>
        o.Node(key) is YamlDotNet.RepresentationModel.YamlScalarNode { Value: var value } ? value ?? "" : fallback;

    private static IReadOnlyList<EvaluationScenarioSpec>? ReadScenarios(YamlObject spec, EvaluationAdapterSpec adapter)
    {
        var items = spec.Items("scenarios");
        if (items is null)
        {
            spec.Error("scenarios", "is required (built-in names or file:PATH.jsonl)");
            return null;
        }

        var scenarios = new List<EvaluationScenarioSpec>();
        foreach (var (mapping, scalar, _) in items)
        {
            if (scalar is not null)
            {
                scenarios.Add(new EvaluationScenarioSpec(DefaultName(scalar), scalar, adapter));
                continue;
            }

            var source = mapping!.String("source", required: true);
            var name = mapping.String("name", required: false);
            var own = ReadAdapter(mapping.Object("adapter", required: false), adapter);
            mapping.RejectUnknown();
            if (source is not null) scenarios.Add(new EvaluationScenarioSpec(name ?? DefaultName(source), source, own));
        }

        return scenarios;
    }

    private static string DefaultName(string source) => source.StartsWith(EvaluationScenarioSpec.FilePrefix, StringComparison.Ordinal)
        ? Path.GetFileNameWithoutExtension(source[EvaluationScenarioSpec.FilePrefix.Length..])
        : source;

    private static IReadOnlyList<PerturbationSpec> ReadPerturbations(YamlObject spec)
    {
        var result = new List<PerturbationSpec>();
        foreach (var (mapping, scalar, _) in spec.Items("perturbations") ?? [])
        {
            if (scalar is not null)
            {
                result.Add(new PerturbationSpec(scalar));
                continue;
            }

            var name = mapping!.String("name", required: true);
            var probability = mapping.Double("probability", required: false);
            var seed = mapping.Int("seed", required: false);
            mapping.RejectUnknown();
            if (name is not null) result.Add(new PerturbationSpec(name, probability, seed));
        }

        return result;
    }

    private static int? ReadShards(YamlObject spec)
    {
        if (spec.Node("shards") is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "auto" }) return null;
        return spec.Int("shards", required: false);
    }

    private static RuntimeProfilesSpec? ReadProfiles(YamlObject? o)
    {
        if (o is null) return null;
        var idealized = o.String("idealized", required: true);
        var denoised = o.String("denoised", required: false);
        o.RejectUnknown();
        return idealized is null ? null : new RuntimeProfilesSpec(idealized, denoised);
    }
}
