using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// One checkpoint of a training run as the store's save request: every rank's parameters and AdamW moments as boxes
/// of the full tensors, each element exactly once (see <see cref="ParameterBox.IsSavedBy"/>). The shards copy straight
/// from the tensors' memory when the saver takes its snapshot, so the tensors must not change, and this object must
/// not be disposed, until that snapshot (phase 1) has returned.
/// </summary>
internal sealed class TrainingCheckpointCapture : IDisposable
{
    private readonly List<Tensor> _owned;

    private TrainingCheckpointCapture(CheckpointSaveRequest request, List<Tensor> owned)
    {
        Request = request;
        _owned = owned;
    }

    /// <summary>The request to hand to the saver.</summary>
    public CheckpointSaveRequest Request { get; }

    /// <summary>
    /// Collects the shards of all ranks. <paramref name="moments"/>[r] is rank r's
    /// <see cref="Orchestrator.Kernels.Training.DistributedOptimizer.ExportMoments"/>; this capture takes ownership of them.
    /// </summary>
    public static TrainingCheckpointCapture Create(
        CheckpointId id,
        CheckpointLayout layout,
        long dataPosition,
        IReadOnlyDictionary<string, string> metadata,
        IReadOnlyList<RankTrainingState> ranks,
        IReadOnlyList<IReadOnlyList<(Tensor ExpAvg, Tensor ExpAvgSq)>> moments)
    {
        var owned = moments.SelectMany(rank => rank).SelectMany(m => new[] { m.ExpAvg, m.ExpAvgSq }).ToList();
        try
        {
            var tensors = new SortedDictionary<string, (long[] Shape, List<ShardSource> Shards)>(StringComparer.Ordinal);
            for (var r = 0; r < ranks.Count; r++)
            {
                var rank = ranks[r];
                for (var i = 0; i < rank.Parameters.Count; i++)
                {
                    var parameter = rank.Parameters[i];
                    if (!ParameterBox.IsSavedBy(parameter, rank.Groups))
                    {
                        continue;
                    }

                    var box = ParameterBox.Of(parameter, rank.Groups);
                    Add(CheckpointTensorNames.Model(parameter.Name), parameter.Value);
                    Add(CheckpointTensorNames.ExpAvg(parameter.Name), moments[r][i].ExpAvg);
                    Add(CheckpointTensorNames.ExpAvgSq(parameter.Name), moments[r][i].ExpAvgSq);

                    void Add(string name, Tensor tensor)
                    {
                        if (tensor.dtype != ScalarType.Float32)
                        {
                            throw new NotSupportedException($"tensor '{name}' is {tensor.dtype}; training checkpoints hold float32 tensors only");
                        }

                        var readable = HostTensorBytes.Readable(tensor);
                        owned.Add(readable);
                        if (!tensors.TryGetValue(name, out var entry))
                        {
                            entry = (parameter.FullShape, []);
                            tensors[name] = entry;
                        }

                        entry.Shards.Add(new ShardSource(box.Offsets, box.Extents, rank.Groups.GlobalRank, box.ByteLength,
                            (offset, destination) => HostTensorBytes.CopyOut(readable, offset, destination)));
                    }
                }
            }

            var request = new CheckpointSaveRequest(id.JobId, id.Step, id.Attempt, layout, dataPosition,
                tensors.Select(t => new TensorSource(t.Key, t.Value.Shape, TensorDataType.Float32, t.Value.Shards)).ToList(), metadata);
            return new TrainingCheckpointCapture(request, owned);
        }
        catch
        {
            owned.ForEach(t => t.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Host memory the saver's snapshot of such a checkpoint occupies: each saved shard of a parameter and its two
    /// moments, rounded up to whole chunks (the saver copies every shard into chunk-sized buffers).
    /// </summary>
    public static long SnapshotBytes(IReadOnlyList<RankTrainingState> ranks, int chunkSize) =>
        ranks.Sum(rank => rank.Parameters
            .Where(p => ParameterBox.IsSavedBy(p, rank.Groups))
            .Sum(p => 3 * ((ParameterBox.Of(p, rank.Groups).ByteLength + chunkSize - 1) / chunkSize) * chunkSize));

    /// <inheritdoc />
    public void Dispose() => _owned.ForEach(t => t.Dispose());
}
