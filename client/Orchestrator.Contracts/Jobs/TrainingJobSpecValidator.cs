using System.Text.RegularExpressions;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// The rules a training job document must satisfy on its own, before any cluster is considered. The SDK runs them
/// before submitting and the control plane runs them again on receipt (another client could skip the SDK).
/// </summary>
public static partial class TrainingJobSpecValidator
{
    /// <summary>Pipeline schedules the built-in runtime knows.</summary>
    public static IReadOnlyList<string> Schedules { get; } = ["gpipe", "1f1b", "interleaved", "pipedream-2bw"];

    /// <summary>Activation recomputation modes.</summary>
    public static IReadOnlyList<string> RecomputeModes { get; } = ["none", "selective", "full"];

    /// <summary>Optimizers the built-in runtime knows.</summary>
    public static IReadOnlyList<string> Optimizers { get; } = ["adamw", "sgd"];

    /// <summary>
    /// Environment variables the control plane sets for a user's program; <c>runtime.env</c> may not set them, nor any
    /// name starting with one of <see cref="ReservedEnvironmentPrefixes"/>.
    /// </summary>
    public static IReadOnlyList<string> ReservedEnvironment { get; } =
        ["MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "NODE_RANK", "NNODES", "NPROC_PER_NODE", "LOCAL_WORLD_SIZE", "RANK", "LOCAL_RANK"];

    /// <summary>Prefixes of environment variables the control plane owns (<c>ORCH_*</c>, and torchrun's <c>PET_*</c>).</summary>
    public static IReadOnlyList<string> ReservedEnvironmentPrefixes { get; } = ["ORCH_", "PET_"];

    /// <summary>Every rule broken by <paramref name="spec"/>, in document order; empty when it is valid.</summary>
    public static IReadOnlyList<SpecError> Validate(TrainingJobSpec spec)
    {
        var errors = new List<SpecError>();
        void Fail(string path, string message) => errors.Add(new SpecError(path, message));
        void Positive(string path, long value)
        {
            if (value < 1) Fail(path, $"must be a positive integer, got {value}");
        }

        errors.AddRange(ValidateMetadata(spec.Metadata));

        var model = spec.Model;
        if (model.Family != "gpt") Fail("spec.model.family", $"'{model.Family}' is not supported; allowed: gpt");
        Positive("spec.model.layers", model.Layers);
        Positive("spec.model.hidden", model.Hidden);
        Positive("spec.model.heads", model.Heads);
        Positive("spec.model.sequenceLength", model.SequenceLength);
        Positive("spec.model.vocabulary", model.Vocabulary);
        if (model.Ffn is { } ffn) Positive("spec.model.ffn", ffn);
        if (model.Hidden > 0 && model.Heads > 0 && model.Hidden % model.Heads != 0)
            Fail("spec.model.heads", $"{model.Heads} heads must divide hidden size {model.Hidden}");
        ValidateModelDescription(model, Fail);
        if (model.From is { } from && !ModelReference.TryParse(from, out _, out var fromProblem)) Fail("spec.model.from", fromProblem);
        if (model.Moe is { } moe)
        {
            if (moe.Experts < 2) Fail("spec.model.moe.experts", $"must be at least 2, got {moe.Experts}");
            if (moe.TopK is < 1 or > 2) Fail("spec.model.moe.topK", $"must be 1 or 2, got {moe.TopK}");
            else if (moe.TopK > moe.Experts) Fail("spec.model.moe.topK", $"{moe.TopK} exceeds the {moe.Experts} experts");
            if (moe.Every < 1 || moe.Every > Math.Max(1, model.Layers)) Fail("spec.model.moe.every", $"must be between 1 and the {model.Layers} layers, got {moe.Every}");
            if (moe.CapacityFactor is { } cf && !(cf > 0 && double.IsFinite(cf))) Fail("spec.model.moe.capacityFactor", $"must be greater than 0, got {cf}");
        }

        var source = spec.Data.Source;
        if (!(source == "builtin:synthetic" || (source.StartsWith("file:", StringComparison.Ordinal) && source.Length > 5)))
            Fail("spec.data.source", $"'{source}' is not a data source; allowed: builtin:synthetic, file:PATH");

        var training = spec.Training;
        Positive("spec.training.globalBatch", training.GlobalBatch);
        Positive("spec.training.steps", training.Steps);
        if (!Optimizers.Contains(training.Optimizer.Name))
            Fail("spec.training.optimizer.name", $"'{training.Optimizer.Name}' is not supported; allowed: {string.Join(", ", Optimizers)}");
        if (!(training.Optimizer.LearningRate > 0 && double.IsFinite(training.Optimizer.LearningRate)))
            Fail("spec.training.optimizer.learningRate", $"must be greater than 0, got {training.Optimizer.LearningRate}");
        if (training.TargetLoss is { } target && !(target > 0 && double.IsFinite(target)))
            Fail("spec.training.targetLoss", $"must be greater than 0, got {target}");
        if (training.MainGradients is { } grads && !TrainingSpec.MainGradientFormats.Contains(grads))
            Fail("spec.training.mainGradients", $"'{grads}' is not a gradient format; allowed: {string.Join(", ", TrainingSpec.MainGradientFormats)}");

        var resources = spec.Resources;
        Positive("spec.resources.gpus", resources.Gpus);
        if (resources.MinGpus is { } min && (min < 1 || min > resources.Gpus))
            Fail("spec.resources.minGpus", $"must be between 1 and resources.gpus ({resources.Gpus}), got {min}");
        GpuShareRules.Check(resources, Fail);

        if (!spec.Parallelism.Auto) ValidateLayout(spec, Fail, Positive);

        if (spec.Checkpoint.EverySteps is { } every) Positive("spec.checkpoint.every", every);
        if (spec.Checkpoint.EverySeconds is { } seconds && !(seconds > 0 && double.IsFinite(seconds)))
            Fail("spec.checkpoint.every", $"a time must be positive, got {seconds} s");
        if (spec.Checkpoint is { EverySteps: not null, EverySeconds: not null })
            Fail("spec.checkpoint.every", "is either a number of steps or a time, not both");
        Positive("spec.checkpoint.keep", spec.Checkpoint.Keep);

        ValidateRuntime(spec.Runtime, Fail);

        var restart = spec.RestartPolicy;
        Positive("spec.restartPolicy.maxAttempts", restart.MaxAttempts);
        if (!(restart.BackoffSeconds >= 0 && double.IsFinite(restart.BackoffSeconds)))
            Fail("spec.restartPolicy.backoffSeconds", $"must be 0 or more, got {restart.BackoffSeconds}");
        if (!(restart.MaxBackoffSeconds >= restart.BackoffSeconds && double.IsFinite(restart.MaxBackoffSeconds)))
            Fail("spec.restartPolicy.maxBackoffSeconds", $"must be at least backoffSeconds ({restart.BackoffSeconds}), got {restart.MaxBackoffSeconds}");
        foreach (var (code, action) in restart.OnExitCodes ?? new Dictionary<int, ExitCodeAction>())
        {
            if (code is < 1 or > 255) Fail($"spec.restartPolicy.onExitCodes.{code}", "exit codes run from 1 to 255 (0 is success)");
            if (!Enum.IsDefined(action)) Fail($"spec.restartPolicy.onExitCodes.{code}", $"'{action}' is not an action; allowed: retry, fail, ignore");
        }

        SpecBounds.Check(spec, Fail);
        errors.AddRange(LifecycleSpecRules.Validate(spec));
        return errors;
    }

    private static void ValidateRuntime(RuntimeSpec runtime, Action<string, string> fail)
    {
        if (runtime.Image is { } image && (string.IsNullOrWhiteSpace(image) || image.Any(char.IsWhiteSpace)))
            fail("spec.runtime.image", $"'{image}' must be an image reference without spaces");
        if (runtime.Command is { Count: 0 }) fail("spec.runtime.command", "must name a program (a list of at least one string)");
        for (var i = 0; i < (runtime.Command?.Count ?? 0); i++)
        {
            if (string.IsNullOrEmpty(runtime.Command![i])) fail($"spec.runtime.command[{i}]", "must not be empty");
        }

        if (runtime.Args is not null && runtime.Image is null && runtime.Command is null)
            fail("spec.runtime.args", "needs runtime.command (or an image whose entrypoint takes them)");
        if (runtime.Env is not null && runtime.IsBuiltIn)
            fail("spec.runtime.env", "applies to a user's program: give runtime.command or runtime.image");
        foreach (var name in runtime.Env?.Keys ?? [])
        {
            if (!EnvironmentName().IsMatch(name))
                fail($"spec.runtime.env.{name}", "must be a variable name: letters, digits and '_', not starting with a digit");
            else if (ReservedEnvironment.Contains(name) || ReservedEnvironmentPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
                fail($"spec.runtime.env.{name}", $"is set by the control plane (reserved: {string.Join(", ", ReservedEnvironment)} and {string.Join(", ", ReservedEnvironmentPrefixes.Select(p => p + "*"))})");
        }
    }

    private static void ValidateLayout(TrainingJobSpec spec, Action<string, string> fail, Action<string, long> positive)
    {
        var p = spec.Parallelism;
        positive("spec.parallelism.tensor", p.Tensor);
        positive("spec.parallelism.pipeline", p.Pipeline);
        positive("spec.parallelism.data", p.Data);
        positive("spec.parallelism.expert", p.Expert);
        positive("spec.parallelism.virtualStages", p.VirtualStages);
        positive("spec.parallelism.context", p.Context);
        if (p.MicroBatch is { } micro) positive("spec.parallelism.microBatch", micro);
        if (p.Tensor < 1 || p.Pipeline < 1 || p.Data < 1 || p.Expert < 1 || p.VirtualStages < 1 || p.MicroBatch < 1 || p.Context < 1) return;

        var model = spec.Model;
        if (p.WorldSize != spec.Resources.Gpus)
            fail("spec.parallelism", p.Context == 1
                ? $"tensor x pipeline x data = {p.Tensor} x {p.Pipeline} x {p.Data} = {p.WorldSize} must equal resources.gpus ({spec.Resources.Gpus})"
                : $"tensor x context x pipeline x data = {p.Tensor} x {p.Context} x {p.Pipeline} x {p.Data} = {p.WorldSize} must equal resources.gpus ({spec.Resources.Gpus})");
        if (p.Context > 1 && model.SequenceLength > 0 && model.SequenceLength % (2 * p.Context) != 0)
            fail("spec.parallelism.context", $"2 x context = {2 * p.Context} must divide model.sequenceLength ({model.SequenceLength}): each rank takes two balanced chunks of every sequence");
        if (p.Context > 1 && model.Attention?.Flash == false)
            fail("spec.parallelism.context", "needs model.attention.flash: ring attention is built on the fused attention kernel");
        if (model.Heads > 0 && model.Heads % p.Tensor != 0)
            fail("spec.parallelism.tensor", $"{p.Tensor} must divide the {model.Heads} attention heads");
        if (model.Layers > 0 && model.Layers % (p.Pipeline * p.VirtualStages) != 0)
            fail("spec.parallelism.pipeline", $"pipeline x virtualStages = {p.Pipeline * p.VirtualStages} must divide the {model.Layers} layers");
        if (!Schedules.Contains(p.Schedule))
            fail("spec.parallelism.schedule", $"'{p.Schedule}' is not a schedule; allowed: {string.Join(", ", Schedules)}");
        else if (p.VirtualStages > 1 && p.Schedule != "interleaved")
            fail("spec.parallelism.virtualStages", $"{p.VirtualStages} virtual stages need schedule 'interleaved', not '{p.Schedule}'");
        if (!RecomputeModes.Contains(p.Recompute))
            fail("spec.parallelism.recompute", $"'{p.Recompute}' is not a recomputation mode; allowed: {string.Join(", ", RecomputeModes)}");
        if (spec.Training.GlobalBatch > 0 && spec.Training.GlobalBatch % ((p.MicroBatch ?? 1) * p.Data) != 0)
            fail(p.MicroBatch is null ? "spec.parallelism.data" : "spec.parallelism.microBatch",
                $"microBatch x data = {(p.MicroBatch ?? 1) * p.Data} must divide training.globalBatch ({spec.Training.GlobalBatch})");
        if (p.Data % p.Expert != 0)
            fail("spec.parallelism.expert", $"{p.Expert} must divide parallelism.data ({p.Data}): expert ranks are drawn from data-parallel ranks");
        if (p.Expert > 1 && (model.Moe is null || model.Moe.Experts % p.Expert != 0))
            fail("spec.parallelism.expert", model.Moe is null ? "needs a model with moe experts" : $"{p.Expert} must divide the {model.Moe.Experts} experts");
        if (p.SequenceParallel && p.Tensor == 1)
            fail("spec.parallelism.sequenceParallel", "needs tensor > 1");
    }

    /// <summary>Longest sequence the planner describes (128K tokens).</summary>
    public const int MaxSequenceLength = 131072;

    private static void ValidateModelDescription(ModelSpec model, Action<string, string> fail)
    {
        if (model.SequenceLength > MaxSequenceLength)
            fail("spec.model.sequenceLength", $"must be at most {MaxSequenceLength} (128K), got {model.SequenceLength}");
        if (model.Attention?.QueryGroups is { } groups && (groups < 1 || (model.Heads > 0 && model.Heads % groups != 0)))
            fail("spec.model.attention.queryGroups", $"must be a positive divisor of the {model.Heads} heads, got {groups}");
        if (model.Activation is { } activation && !ModelSpec.Activations.Contains(activation))
            fail("spec.model.activation", $"'{activation}' is not an activation; allowed: {string.Join(", ", ModelSpec.Activations)}");
        if (model.Precision is { } precision && !ModelSpec.Precisions.Contains(precision))
            fail("spec.model.precision", $"'{precision}' is not a number format; allowed: {string.Join(", ", ModelSpec.Precisions)}");
    }

    /// <summary>The rules on a job's name and queue, shared by every job kind.</summary>
    public static IReadOnlyList<SpecError> ValidateMetadata(JobMetadata meta)
    {
        var errors = new List<SpecError>();
        if (string.IsNullOrEmpty(meta.Name)) errors.Add(new SpecError("metadata.name", "is required"));
        else if (meta.Name.Length > 53 || !DnsName().IsMatch(meta.Name))
            errors.Add(new SpecError("metadata.name", $"'{meta.Name}' must be 1-53 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit"));
        if (!QueueNames.IsValid(meta.Queue)) errors.Add(new SpecError("metadata.queue", $"'{meta.Queue}' must be {QueueNames.Rule}"));
        return errors;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();

    // Kubernetes object names: DNS subdomains, so a name may carry a version like gpt-1.7b.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex DnsName();
}
