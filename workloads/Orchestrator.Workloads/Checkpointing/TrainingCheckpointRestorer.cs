using System.Buffers;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Reading;
using Orchestrator.Workloads.Training;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// Restores the newest usable checkpoint of a job into the ranks of the current layout, whatever layout saved it:
/// each rank reads the boxes of the full tensors it holds (the store assembles them from whichever saved shards
/// overlap), for every parameter including the tied embedding copy and PipeDream-2BW's weight versions, and for both
/// AdamW moments, then sets the optimizer's step count. Chunks are verified as they are read; a checkpoint damaged in
/// any way (see <see cref="IsUnusable"/>) is skipped in favour of the previous one instead of failing the worker.
/// </summary>
internal sealed class TrainingCheckpointRestorer(CheckpointStore store, TrainingOptions options)
{
    // Boxes are read in slabs of whole rows of about this size, so host memory stays bounded for any tensor.
    private const long SlabBytes = 16L << 20;

    /// <summary>
    /// Tries the job's checkpoints newest first and restores the first that reads back whole. Returns it (null when
    /// none could be used) with the damaged ones skipped. When a damaged checkpoint was skipped after some of its
    /// tensors had been written and no older one could be used, the ranks hold a mixture: the caller must rebuild them.
    /// </summary>
    /// <exception cref="ArgumentException">A checkpoint records a model of another shape (named in the message).</exception>
    public async Task<(CheckpointManifest? Restored, IReadOnlyList<SkippedCheckpoint> Skipped)> RestoreLatestAsync(
        string jobId, IReadOnlyList<RankTrainingState> ranks, CancellationToken cancellationToken)
    {
        var skipped = new List<SkippedCheckpoint>();
        foreach (var id in store.List(jobId).Reverse())
        {
            try
            {
                var manifest = await store.LoadManifestAsync(id, cancellationToken).ConfigureAwait(false);
                TrainingCheckpointMetadata.EnsureSameModel(manifest, options);
                await RestoreAsync(manifest, ranks, cancellationToken).ConfigureAwait(false);
                return (manifest, skipped);
            }
            catch (Exception unusable) when (IsUnusable(unusable))
            {
                skipped.Add(new SkippedCheckpoint(id, unusable is CheckpointDamagedException damaged ? damaged.Problem : unusable.Message));
            }
        }

        return (null, skipped);
    }

    /// <summary>
    /// Damage of any kind, which the restore passes over for the previous checkpoint: a torn, altered or oversized file
    /// or a missing or corrupt chunk (<see cref="CheckpointDamagedException"/>), any other I/O error, a tensor the model
    /// needs that the checkpoint lacks, a tensor of another shape or type, missing optimizer state. Not a checkpoint of
    /// another model (<see cref="ArgumentException"/> from the model check): that is the job's mistake, refused loudly
    /// rather than trained over from the initial weights while its checkpoints are collected.
    /// </summary>
    private static bool IsUnusable(Exception error) =>
        error is IOException or UnauthorizedAccessException or InvalidDataException or KeyNotFoundException;

    /// <summary>
    /// Takes the initial weights from another job's checkpoint (a model version to fine-tune) in whatever layout saved
    /// it; the optimizer keeps its fresh state. Returns the checkpoint's manifest.
    /// </summary>
    /// <exception cref="ArgumentException">It holds a model of another shape (named in the message).</exception>
    /// <exception cref="CheckpointDamagedException">It is missing, or a chunk it needs is missing or corrupt.</exception>
    public async Task<CheckpointManifest> RestoreWeightsAsync(CheckpointId checkpoint, IReadOnlyList<RankTrainingState> ranks, CancellationToken cancellationToken)
    {
        var manifest = await store.LoadManifestAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        TrainingCheckpointMetadata.EnsureSameModel(manifest, options);
        await RestoreAsync(manifest, ranks, cancellationToken, weightsOnly: true).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>Restores <paramref name="manifest"/> into every rank; with <paramref name="weightsOnly"/> the optimizer keeps its fresh state (a fine-tune's start).</summary>
    /// <exception cref="CheckpointDamagedException">A chunk it needs is missing, corrupt or unreadable.</exception>
    /// <exception cref="KeyNotFoundException">A tensor the model needs is not in the checkpoint.</exception>
    /// <exception cref="InvalidDataException">A tensor has another shape or type, or the optimizer's step count is missing.</exception>
    public async Task RestoreAsync(CheckpointManifest manifest, IReadOnlyList<RankTrainingState> ranks, CancellationToken cancellationToken, bool weightsOnly = false)
    {
        var optimizerSteps = weightsOnly ? 0 : TrainingCheckpointMetadata.OptimizerSteps(manifest);
        var moments = ranks.Select(rank => rank.Parameters
            .Select(p => (ExpAvg: empty(p.Value.shape, ScalarType.Float32, CPU), ExpAvgSq: empty(p.Value.shape, ScalarType.Float32, CPU)))
            .ToList()).ToList();
        try
        {
            // Every (tensor, box) is read once and written to every rank that holds that box: replicas over data and
            // tensor ranks need the same bytes.
            var reads = new Dictionary<(string Tensor, string Box), (ParameterBox Box, long[] FullShape, List<Tensor> Targets)>();
            for (var r = 0; r < ranks.Count; r++)
            {
                var rank = ranks[r];
                for (var i = 0; i < rank.Parameters.Count; i++)
                {
                    var parameter = rank.Parameters[i];
                    var box = ParameterBox.Of(parameter, rank.Groups);
                    Target(CheckpointTensorNames.Model(parameter.Name), [parameter.Value, .. rank.Replicas.Select(replica => (Tensor)replica[i])]);
                    if (!weightsOnly)
                    {
                        Target(CheckpointTensorNames.ExpAvg(parameter.Name), [moments[r][i].ExpAvg]);
                        Target(CheckpointTensorNames.ExpAvgSq(parameter.Name), [moments[r][i].ExpAvgSq]);
                    }

                    void Target(string tensor, IEnumerable<Tensor> targets)
                    {
                        var key = (tensor, $"{string.Join(",", box.Offsets)}:{string.Join(",", box.Extents)}");
                        if (!reads.TryGetValue(key, out var read))
                        {
                            read = (box, parameter.FullShape, []);
                            reads[key] = read;
                        }

                        read.Targets.AddRange(targets);
                    }
                }
            }

            await Parallel.ForEachAsync(
                reads,
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) },
                (read, ct) => new ValueTask(ReadBoxAsync(manifest, read.Key.Tensor, read.Value.Box, read.Value.FullShape, read.Value.Targets, ct))).ConfigureAwait(false);

            for (var r = 0; r < ranks.Count && !weightsOnly; r++)
            {
                ranks[r].Optimizer.ImportMoments(moments[r], optimizerSteps);
            }
        }
        finally
        {
            foreach (var (expAvg, expAvgSq) in moments.SelectMany(m => m))
            {
                expAvg.Dispose();
                expAvgSq.Dispose();
            }
        }
    }

    private async Task ReadBoxAsync(CheckpointManifest manifest, string tensor, ParameterBox box, long[] fullShape, IReadOnlyList<Tensor> targets, CancellationToken cancellationToken)
    {
        var saved = manifest.Tensor(tensor);
        if (saved.DataType != TensorDataType.Float32 || !saved.GlobalShape.SequenceEqual(fullShape))
        {
            throw new InvalidDataException(
                $"checkpoint {manifest.Id}: tensor '{tensor}' is {saved.DataType} [{string.Join(", ", saved.GlobalShape)}], but this model needs float32 [{string.Join(", ", fullShape)}]");
        }

        var rowBytes = box.ByteLength / box.Extents[0];
        var rowsPerSlab = Math.Max(1, SlabBytes / rowBytes);
        var buffer = ArrayPool<byte>.Shared.Rent((int)(Math.Min(rowsPerSlab, box.Extents[0]) * rowBytes));
        try
        {
            for (long row = 0; row < box.Extents[0]; row += rowsPerSlab)
            {
                var rows = Math.Min(rowsPerSlab, box.Extents[0] - row);
                var offsets = box.Offsets.ToArray();
                var extents = box.Extents.ToArray();
                offsets[0] += row;
                extents[0] = rows;
                var bytes = buffer.AsMemory(0, (int)(rows * rowBytes));
                await store.ReadSliceAsync(manifest, tensor, new TensorSlice(offsets, extents), bytes, cancellationToken).ConfigureAwait(false);
                foreach (var target in targets)
                {
                    HostTensorBytes.CopyIn(bytes.Span, target, row, rows);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
