namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// Upper bounds on the sizes and counts in a job document, so no document can ask the control plane (or a worker) to
/// hold or plan something absurd, and path-like values cannot climb out of where they belong.
/// </summary>
public static class SpecBounds
{
    /// <summary>Most training steps.</summary>
    public const long MaxSteps = 100_000_000;

    /// <summary>Largest global batch (sequences).</summary>
    public const long MaxGlobalBatch = 1 << 24;

    /// <summary>Most transformer layers.</summary>
    public const int MaxLayers = 4096;

    /// <summary>Largest hidden size, feed-forward size and sequence length.</summary>
    public const int MaxWidth = 1 << 20;

    /// <summary>Largest vocabulary.</summary>
    public const int MaxVocabulary = 1 << 22;

    /// <summary>Most devices one job may ask for.</summary>
    public const int MaxGpus = 1 << 16;

    /// <summary>Most experts.</summary>
    public const int MaxExperts = 4096;

    /// <summary>Longest data source, image, command argument or environment value.</summary>
    public const int MaxText = 4096;

    /// <summary>Most command-line arguments and environment variables.</summary>
    public const int MaxItems = 256;

    /// <summary>Most exit-code rules and attempts.</summary>
    public const int MaxAttempts = 1000;

    /// <summary>Longest queue name (queues become metric label values).</summary>
    public const int MaxQueueName = 63;

    /// <summary>Adds a failure to <paramref name="fail"/> for every bound <paramref name="spec"/> exceeds.</summary>
    public static void Check(TrainingJobSpec spec, Action<string, string> fail)
    {
        void AtMost(string path, long value, long limit)
        {
            if (value > limit) fail(path, $"{value} exceeds the limit of {limit}");
        }

        AtMost("metadata.queue", spec.Metadata.Queue.Length, MaxQueueName);
        var model = spec.Model;
        AtMost("spec.model.layers", model.Layers, MaxLayers);
        AtMost("spec.model.hidden", model.Hidden, MaxWidth);
        AtMost("spec.model.heads", model.Heads, MaxWidth);
        AtMost("spec.model.sequenceLength", model.SequenceLength, MaxWidth);
        AtMost("spec.model.vocabulary", model.Vocabulary, MaxVocabulary);
        if (model.Ffn is { } ffn) AtMost("spec.model.ffn", ffn, MaxWidth);
        if (model.Moe is { } moe) AtMost("spec.model.moe.experts", moe.Experts, MaxExperts);
        AtMost("spec.training.steps", spec.Training.Steps, MaxSteps);
        AtMost("spec.training.globalBatch", spec.Training.GlobalBatch, MaxGlobalBatch);
        AtMost("spec.resources.gpus", spec.Resources.Gpus, MaxGpus);
        AtMost("spec.restartPolicy.maxAttempts", spec.RestartPolicy.MaxAttempts, MaxAttempts);
        AtMost("spec.restartPolicy.onExitCodes", spec.RestartPolicy.OnExitCodes?.Count ?? 0, MaxItems);

        var source = spec.Data.Source;
        AtMost("spec.data.source", source.Length, MaxText);
        if (source.StartsWith("file:", StringComparison.Ordinal) && ClimbsOut(source[5..]))
            fail("spec.data.source", $"'{Shorten(source)}' must not contain '..' segments or control characters");

        var runtime = spec.Runtime;
        if (runtime.Image is { } image) AtMost("spec.runtime.image", image.Length, MaxText);
        AtMost("spec.runtime.command", runtime.Command?.Count ?? 0, MaxItems);
        AtMost("spec.runtime.args", runtime.Args?.Count ?? 0, MaxItems);
        AtMost("spec.runtime.env", runtime.Env?.Count ?? 0, MaxItems);
        foreach (var (path, values) in new[] { ("spec.runtime.command", runtime.Command), ("spec.runtime.args", runtime.Args) })
        {
            for (var i = 0; i < Math.Min(values?.Count ?? 0, MaxItems); i++)
                AtMost($"{path}[{i}]", values![i].Length, MaxText);
        }

        foreach (var (name, value) in runtime.Env ?? new Dictionary<string, string>())
        {
            AtMost($"spec.runtime.env.{Shorten(name)}", Math.Max(name.Length, value.Length), MaxText);
        }
    }

    /// <summary>True when a path has a <c>..</c> segment or a control character (a NUL ends a path in native code).</summary>
    public static bool ClimbsOut(string path) =>
        path.Any(char.IsControl) || path.Split('/', '\\').Any(segment => segment == "..");

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
