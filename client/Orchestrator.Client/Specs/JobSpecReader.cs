using System.Collections.Frozen;
using System.Globalization;
using Orchestrator.Contracts.Jobs;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Client.Specs;

/// <summary>Maps the fields of a TrainingJob document onto the spec records (structure only; rules come after).</summary>
internal static class JobSpecReader
{
    private static readonly FrozenDictionary<string, ExitCodeAction> ExitCodeActions = new Dictionary<string, ExitCodeAction>
    {
        ["retry"] = ExitCodeAction.Retry,
        ["fail"] = ExitCodeAction.Fail,
        ["ignore"] = ExitCodeAction.Ignore,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static TrainingJobSpec? Read(YamlObject root)
    {
        var apiVersion = root.String("apiVersion", required: true);
        if (apiVersion is not null && apiVersion != TrainingJobSpec.ApiVersion)
            root.Error("apiVersion", $"'{apiVersion}' is not supported; expected {TrainingJobSpec.ApiVersion}", root.Node("apiVersion"));
        var kind = root.String("kind", required: true);
        if (kind is not null && kind != TrainingJobSpec.Kind)
            root.Error("kind", $"'{kind}' is not a job kind; expected {TrainingJobSpec.Kind}", root.Node("kind"));

        var metadata = ReadMetadata(root.Object("metadata", required: true));
        var spec = root.Object("spec", required: true);
        root.RejectUnknown();
        if (spec is null || metadata is null) return null;

        var model = ReadModel(spec.Object("model", required: true));
        var data = ReadData(spec.Object("data", required: false));
        var training = ReadTraining(spec.Object("training", required: true));
        var parallelism = ReadParallelism(spec);
        var resources = ReadResources(spec.Object("resources", required: true));
        var checkpoint = ReadCheckpoint(spec);
        var runtime = ReadRuntime(spec);
        var restart = ReadRestartPolicy(spec.Object("restartPolicy", required: false));
        var timeLimit = LifecycleSpecReader.ReadTimeLimit(spec);
        var dependsOn = LifecycleSpecReader.ReadDependsOn(spec);
        spec.RejectUnknown();
        if (model is null || training is null || resources is null || parallelism is null || runtime is null) return null;
        return new TrainingJobSpec(metadata, model, data, training, parallelism, resources, checkpoint, runtime, restart, timeLimit, dependsOn);
    }

    internal static JobMetadata? ReadMetadata(YamlObject? o)
    {
        if (o is null) return null;
        var name = o.String("name", required: true);
        var queue = o.String("queue", required: false, "default")!;
        var priority = o.Int("priority", required: false, 0)!.Value;
        var priorityClass = o.String("priorityClass", required: false);
        // A class stands for a number set by an admin: a job gives one or the other, so neither silently wins.
        if (priorityClass is not null && o.Node("priority") is not null)
            o.Error("priorityClass", "give metadata.priority or metadata.priorityClass, not both: a class sets the priority", o.Node("priorityClass"));
        o.RejectUnknown();
        return name is null ? null : new JobMetadata(name, queue, priority, priorityClass);
    }

    private static ModelSpec? ReadModel(YamlObject? o)
    {
        if (o is null) return null;
        var family = o.String("family", required: false, "gpt")!;
        var layers = o.Int("layers", required: true);
        var hidden = o.Int("hidden", required: true);
        var heads = o.Int("heads", required: true);
        var sequence = o.Int("sequenceLength", required: true);
        var vocabulary = ReadVocabulary(o);
        var ffn = o.Int("ffn", required: false);
        var from = o.String("from", required: false);
        MixtureOfExpertsSpec? moe = null;
        if (o.Object("moe", required: false) is { } m)
        {
            var experts = m.Int("experts", required: true);
            var topK = m.Int("topK", required: false, 2)!.Value;
            var every = m.Int("every", required: false, 1)!.Value;
            var capacity = m.Double("capacityFactor", required: false);
            m.RejectUnknown();
            if (experts is { } e) moe = new MixtureOfExpertsSpec(e, topK, every, capacity);
        }

        AttentionSpec? attention = null;
        if (o.Object("attention", required: false) is { } a)
        {
            attention = new AttentionSpec(a.Int("queryGroups", required: false), a.Bool("flash"));
            a.RejectUnknown();
        }

        var activation = o.String("activation", required: false);
        var untied = o.Bool("untiedEmbeddings", false)!.Value;
        var precision = o.String("precision", required: false);
        o.RejectUnknown();
        return layers is null || hidden is null || heads is null || sequence is null || vocabulary is null
            ? null
            : new ModelSpec(family, layers.Value, hidden.Value, heads.Value, sequence.Value, vocabulary.Value, ffn, moe, attention, activation, untied, precision, from);
    }

    private static int? ReadVocabulary(YamlObject o)
    {
        var node = o.Node("vocabulary");
        switch (node)
        {
            case null:
                o.Error("vocabulary", "is required (a size, or gpt2)");
                return null;
            case YamlScalarNode { Value: "gpt2" }:
                return JobSpecLoader.Gpt2Vocabulary;
            case YamlScalarNode { Value: { } text } when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size):
                return size;
            default:
                o.Error("vocabulary", "must be a size or the name gpt2", node);
                return null;
        }
    }

    private static DataSpec ReadData(YamlObject? o)
    {
        if (o is null) return new DataSpec("builtin:synthetic");
        var source = o.String("source", required: true, "builtin:synthetic")!;
        o.RejectUnknown();
        return new DataSpec(source);
    }

    private static TrainingSpec? ReadTraining(YamlObject? o)
    {
        if (o is null) return null;
        var batch = o.Int("globalBatch", required: true);
        var steps = o.Int("steps", required: true);
        var optimizer = new OptimizerSpec();
        if (o.Object("optimizer", required: false) is { } opt)
        {
            optimizer = new OptimizerSpec(opt.String("name", required: false, "adamw")!, opt.Double("learningRate", required: false, 3e-4)!.Value);
            opt.RejectUnknown();
        }

        var target = o.Double("targetLoss", required: false);
        var seed = o.Int("seed", required: false, 1234)!.Value;
        OverlapSpec? overlap = null;
        if (o.Object("overlap", required: false) is { } ov)
        {
            overlap = new OverlapSpec(ov.Bool("gradReduce"), ov.Bool("paramGather"), ov.Bool("tensor"));
            ov.RejectUnknown();
        }

        var distributed = o.Bool("distributedOptimizer");
        var mainGradients = o.String("mainGradients", required: false);
        o.RejectUnknown();
        return batch is null || steps is null ? null : new TrainingSpec(batch.Value, steps.Value, optimizer, target, seed, overlap, distributed, mainGradients);
    }

    private static ParallelismSpec? ReadParallelism(YamlObject spec)
    {
        var node = spec.Node("parallelism");
        if (node is null || node is YamlScalarNode { Value: "auto" }) return ParallelismSpec.Automatic;
        if (node is not YamlMappingNode)
        {
            spec.Error("parallelism", "must be 'auto' or a mapping {tensor, pipeline, data, ...}", node);
            return null;
        }

        var o = spec.Object("parallelism", required: true)!;
        var result = new ParallelismSpec(
            Auto: false,
            Tensor: o.Int("tensor", required: false, 1)!.Value,
            Pipeline: o.Int("pipeline", required: false, 1)!.Value,
            Data: o.Int("data", required: false, 1)!.Value,
            Expert: o.Int("expert", required: false, 1)!.Value,
            VirtualStages: o.Int("virtualStages", required: false, 1)!.Value,
            Schedule: o.String("schedule", required: false, "1f1b")!,
            MicroBatch: o.Int("microBatch", required: false),
            Recompute: o.String("recompute", required: false, "none")!,
            SequenceParallel: o.Bool("sequenceParallel", false)!.Value,
            Context: o.Int("context", required: false, 1)!.Value);
        o.RejectUnknown();
        return result;
    }

    internal static ResourcesSpec? ReadResources(YamlObject? o)
    {
        if (o is null) return null;
        var gpus = o.Int("gpus", required: true);
        var type = o.String("gpuType", required: false);
        var min = o.Int("minGpus", required: false);
        var fraction = o.Double("gpuFraction", required: false);
        o.RejectUnknown();
        return gpus is null ? null : new ResourcesSpec(gpus.Value, type, min, fraction);
    }

    private static CheckpointSpec ReadCheckpoint(YamlObject spec)
    {
        if (spec.Object("checkpoint", required: false) is not { } o) return new CheckpointSpec();
        int? steps = null;
        double? seconds = null;
        var node = o.Node("every");
        const string allowed = "must be 'auto', a whole number of steps ('500' or '500 steps') or a time ('90s', '30m', '2h')";
        if (node is YamlScalarNode { Value: { } text })
        {
            try
            {
                (steps, seconds) = CheckpointSpec.ParseEvery(text);
            }
            catch (FormatException)
            {
                o.Error("every", $"{allowed}, got '{text}'", node);
            }
        }
        else if (node is not null)
        {
            o.Error("every", allowed, node);
        }

        var keep = o.Int("keep", required: false, 3)!.Value;
        o.RejectUnknown();
        return new CheckpointSpec(steps, keep, seconds);
    }

    private static RuntimeSpec? ReadRuntime(YamlObject spec)
    {
        var node = spec.Node("runtime");
        if (node is null || node is YamlScalarNode { Value: "builtin" }) return RuntimeSpec.BuiltIn;
        if (node is not YamlMappingNode)
        {
            spec.Error("runtime", "must be 'builtin' or a mapping {image, command, args, env}", node);
            return null;
        }

        var o = spec.Object("runtime", required: true)!;
        var image = o.String("image", required: false);
        var command = o.StringList("command");
        var args = o.StringList("args");
        var env = o.StringMap("env")?.DistinctBy(e => e.Key).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (image is null && command is null && o.Node("command") is null) o.Error("command", "is required: the program to run (or give an image whose entrypoint runs it)");
        o.RejectUnknown();
        return new RuntimeSpec(image, command, args, env);
    }

    private static RestartPolicySpec ReadRestartPolicy(YamlObject? o)
    {
        if (o is null) return new RestartPolicySpec();
        var policy = new RestartPolicySpec(
            o.Int("maxAttempts", required: false, 3)!.Value,
            o.Double("backoffSeconds", required: false, 1)!.Value,
            o.Double("maxBackoffSeconds", required: false, 60)!.Value,
            ReadOnExitCodes(o));
        o.RejectUnknown();
        return policy;
    }

    private static Dictionary<int, ExitCodeAction>? ReadOnExitCodes(YamlObject policy)
    {
        var entries = policy.StringMap("onExitCodes");
        if (entries is null) return null;
        var result = new Dictionary<int, ExitCodeAction>();
        foreach (var (code, action, at) in entries)
        {
            var path = $"onExitCodes.{code}";
            if (!int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                policy.Error(path, "must be keyed by an exit code (a whole number from 1 to 255)", at);
            else if (!ExitCodeActions.TryGetValue(action, out var parsed))
                policy.Error(path, $"'{action}' is not an action; allowed: retry, fail, ignore", at);
            else
                result[number] = parsed;
        }

        return result;
    }
}
