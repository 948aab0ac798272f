using System.Globalization;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// The non-tensor state a training checkpoint carries in its manifest metadata: AdamW's step count, the model's shape
/// including its MoE blocks (a restore into another shape is refused), and the seed, schedule, batch and data source the run used.
/// </summary>
internal static class TrainingCheckpointMetadata
{
    /// <summary>AdamW steps taken (the t of its bias corrections).</summary>
    public const string OptimizerStep = "optimizer.step";

    // The MoE fields are 0 for a dense model; checkpoints written before they were recorded hold dense models.
    private static readonly (string Key, string Field, Func<TrainingOptions, int> Value, long? IfAbsent)[] ModelShape =
    [
        ("model.layers", nameof(TrainingOptions.Layers), o => o.Layers, null),
        ("model.hidden", nameof(TrainingOptions.Hidden), o => o.Hidden, null),
        ("model.heads", nameof(TrainingOptions.Heads), o => o.Heads, null),
        ("model.vocabulary", nameof(TrainingOptions.Vocabulary), o => o.Vocabulary, null),
        ("model.sequence_length", nameof(TrainingOptions.SequenceLength), o => o.SequenceLength, null),
        ("model.moe.experts", "Moe.ExpertCount", o => o.Moe?.ExpertCount ?? 0, 0),
        ("model.moe.top_k", "Moe.TopK", o => o.Moe?.TopK ?? 0, 0),
        ("model.moe.every", "Moe.Every", o => o.Moe?.Every ?? 0, 0),
    ];

    /// <summary>The metadata of a checkpoint of a run with <paramref name="options"/> after <paramref name="optimizerSteps"/> AdamW steps.</summary>
    public static IReadOnlyDictionary<string, string> Create(TrainingOptions options, long optimizerSteps)
    {
        var metadata = ModelShape.ToDictionary(m => m.Key, m => Text(m.Value(options)), StringComparer.Ordinal);
        metadata[OptimizerStep] = Text(optimizerSteps);
        metadata["optimizer.name"] = "adamw";
        metadata["optimizer.learning_rate"] = options.LearningRate.ToString("R", CultureInfo.InvariantCulture);
        metadata["optimizer.sharded_state"] = options.ShardOptimizerState ? "true" : "false";
        metadata["training.seed"] = Text(options.Seed);
        metadata["training.schedule"] = options.Schedule;
        metadata["training.global_batch"] = Text(options.GlobalBatch);
        metadata["training.micro_batch"] = Text(options.MicroBatch);
        metadata["data.source"] = options.DataSource;
        return metadata;
    }

    /// <summary>Refuses a checkpoint of a model with another shape, naming the first field that differs.</summary>
    /// <exception cref="ArgumentException">A model field differs, or the checkpoint does not record it.</exception>
    public static void EnsureSameModel(CheckpointManifest manifest, TrainingOptions options)
    {
        foreach (var (key, field, value, ifAbsent) in ModelShape)
        {
            var current = value(options);
            var saved = manifest.Metadata.TryGetValue(key, out var text)
                ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? (long?)parsed : null
                : ifAbsent;
            if (saved is null)
            {
                throw new ArgumentException($"checkpoint {manifest.Id} does not record {field} (metadata '{key}'): it was not saved by the training loop, so it cannot be restored into this model", field);
            }

            if (saved != current)
            {
                throw new ArgumentException($"checkpoint {manifest.Id} holds a model with {field} = {saved}, but this run has {field} = {current}; a checkpoint restores only into a model of the same shape (any layout)", field);
            }
        }
    }

    /// <summary>The AdamW step count the checkpoint was saved at.</summary>
    /// <exception cref="InvalidDataException">The metadata lacks it or it is not a count.</exception>
    public static long OptimizerSteps(CheckpointManifest manifest) =>
        manifest.Metadata.TryGetValue(OptimizerStep, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var steps)
            ? steps
            : throw new InvalidDataException($"checkpoint {manifest.Id} has no valid '{OptimizerStep}' metadata (AdamW's step count)");

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
