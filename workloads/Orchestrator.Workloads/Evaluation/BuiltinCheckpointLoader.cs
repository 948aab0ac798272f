using System.Runtime.InteropServices;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Kernels.Model;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Training;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Evaluation;

/// <summary>
/// Reads a training checkpoint into one unpartitioned <see cref="Gpt"/> on the CPU, whatever layout saved it: each
/// parameter is read whole by its canonical name (<c>model/NAME</c>), and the store assembles it from the saved shards
/// (tensor- or pipeline-partitioned, replicated or not), verifying the chunks as it reads. Optimizer state is not read.
/// </summary>
internal static class BuiltinCheckpointLoader
{
    public static async Task<(Gpt Model, CheckpointManifest Manifest)> LoadAsync(BuiltinModelSource source, CancellationToken cancellationToken)
    {
        var config = ConfigOf(source);
        if (!Directory.Exists(source.StoreRoot))
        {
            throw new ArgumentException($"checkpoint store '{source.StoreRoot}' does not exist", nameof(source));
        }

        var store = new CheckpointStore(new CheckpointStoreOptions { Root = source.StoreRoot, Durable = false });
        var all = store.List(source.JobId);
        var atStep = all.Where(id => id.Step == source.Step).OrderByDescending(id => id.Attempt).ToList();
        if (atStep.Count == 0)
        {
            var steps = all.Count == 0 ? "none" : string.Join(", ", all.Select(id => id.Step).Distinct());
            throw new ArgumentException(
                $"job '{source.JobId}' has no checkpoint at step {source.Step} in '{source.StoreRoot}' (its checkpoints: {steps})", nameof(source));
        }

        var problems = new List<string>();
        foreach (var id in atStep)
        {
            var model = new Gpt(config, seed: 0);
            try
            {
                var manifest = await store.LoadManifestAsync(id, cancellationToken).ConfigureAwait(false);
                TrainingCheckpointMetadata.EnsureSameModel(manifest, ShapeOptions(source));
                await ReadParametersAsync(store, manifest, model, config, cancellationToken).ConfigureAwait(false);
                return (model, manifest);
            }
            catch (CheckpointDamagedException damaged)
            {
                // An older attempt at the same step may still be whole.
                problems.Add($"{id}: {damaged.Problem}");
                model.Dispose();
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }

        throw new InvalidDataException($"every checkpoint of job '{source.JobId}' at step {source.Step} is damaged: {string.Join("; ", problems)}");
    }

    private static GptConfig ConfigOf(BuiltinModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(source.StoreRoot);
        ArgumentException.ThrowIfNullOrWhiteSpace(source.JobId);
        var model = source.Model ?? throw new ArgumentException("model: the training job's spec.model is required", nameof(source));
        if (model.Moe is not null)
        {
            throw new ArgumentException(
                "model.moe: the built-in evaluation client loads dense GPT models only; Mixture-of-Experts checkpoints are not supported yet",
                nameof(source));
        }

        // The training loop always trains a 4·hidden MLP; a different ffn would not match the checkpoint's tensors.
        return new GptConfig(model.Layers, model.Hidden, model.Heads, model.Vocabulary, model.SequenceLength, model.FfnSize).Validate();
    }

    private static TrainingOptions ShapeOptions(BuiltinModelSource source) => new(
        Layers: source.Model.Layers,
        Hidden: source.Model.Hidden,
        Heads: source.Model.Heads,
        SequenceLength: source.Model.SequenceLength,
        Vocabulary: source.Model.Vocabulary);

    private static async Task ReadParametersAsync(CheckpointStore store, CheckpointManifest manifest, Gpt model, GptConfig config, CancellationToken cancellationToken)
    {
        foreach (var (name, shape) in GptParameterNames.All(config))
        {
            var tensorName = CheckpointTensorNames.Model(name);
            var saved = manifest.Tensor(tensorName);
            if (saved.DataType != TensorDataType.Float32 || !saved.GlobalShape.SequenceEqual(shape))
            {
                throw new InvalidDataException(
                    $"checkpoint {manifest.Id}: tensor '{tensorName}' is {saved.DataType} [{string.Join(", ", saved.GlobalShape)}], but model needs float32 [{string.Join(", ", shape)}]");
            }

            var bytes = await store.ReadTensorAsync(manifest, tensorName, cancellationToken).ConfigureAwait(false);
            using var values = tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape);
            using (no_grad())
            {
                model.Parameter(name).copy_(values);
            }
        }
    }
}
