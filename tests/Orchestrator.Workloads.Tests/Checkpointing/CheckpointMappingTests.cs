using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Training;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// The tensor-to-checkpoint mapping on its own, for what the training loop does not build yet: an MoE model whose
/// expert weights are split over an expert-parallel group, next to tensor and pipeline splits and the tied embedding.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CheckpointMappingTests
{
    private static readonly TrainingOptions Shape = new(Layers: 2, Hidden: 32, Heads: 4, SequenceLength: 16, Vocabulary: 64);

    private static readonly GptConfig Config = new(Shape.Layers, Shape.Hidden, Shape.Heads, Shape.Vocabulary, Shape.SequenceLength,
        Moe: new GptMoeSettings(ExpertCount: 4, TopK: 1, Every: 1, BlockSize: 16));

    [Fact]
    public async Task Every_element_of_an_moe_model_is_saved_once_and_restores_under_another_layout()
    {
        using var temp = new TemporaryCheckpointStore();
        using var source = new Ranks(new ParallelGrid(TensorParallelSize: 2, PipelineParallelSize: 2, DataParallelSize: 2, ExpertParallelSize: 2), seed: 1);
        foreach (var rank in source.States)
        {
            // Moments that differ per parameter and agree between replicas, as trained ones do.
            using var scope = NewDisposeScope();
            rank.Optimizer.ImportMoments(rank.Parameters.Select(p => (p.Value.detach() * 2, p.Value.detach().abs() + 1)).ToList(), stepCount: 7);
        }

        var id = new CheckpointId("moe", 5, 1);
        using (var capture = TrainingCheckpointCapture.Create(id, new CheckpointLayout(2, 2, 2, 2), 40, TrainingCheckpointMetadata.Create(Shape, 7),
            source.States, source.States.Select(s => s.Optimizer.ExportMoments()).ToList()))
        {
            // The store refuses shards that overlap or leave a gap, so this save checks the each-element-once rule.
            await temp.Store.SaveAsync(capture.Request, null, CancellationToken.None);
        }

        var manifest = await temp.Store.LoadManifestAsync(id, CancellationToken.None);
        var experts = manifest.Tensor(CheckpointTensorNames.Model("layers.0." + GptMoeSettings.ExpertInputWeight));
        Assert.Equal([0L, 2L], experts.Shards.Select(s => s.Offsets[0]).Order());
        Assert.Equal(2, manifest.Tensor(CheckpointTensorNames.ExpAvg("layers.1.attention.output.weight")).Shards.Count);
        Assert.Single(manifest.Tensor(CheckpointTensorNames.Model(GptParameterNames.WordEmbedding)).Shards, s => s.Offsets[0] == 0);

        using var target = new Ranks(new ParallelGrid(), seed: 2);
        await new TrainingCheckpointRestorer(temp.Store, Shape).RestoreAsync(manifest, target.States, CancellationToken.None);

        var restored = target.States.Single();
        var restoredMoments = restored.Optimizer.ExportMoments();
        Assert.Equal(7, restored.Optimizer.StepCount);
        foreach (var rank in source.States)
        {
            var sourceMoments = rank.Optimizer.ExportMoments();
            for (var i = 0; i < rank.Parameters.Count; i++)
            {
                var parameter = rank.Parameters[i];
                var box = ParameterBox.Of(parameter, rank.Groups);
                var j = restored.Parameters.ToList().FindIndex(p => p.Name == parameter.Name);
                AssertBoxEqual(parameter.Name, restored.Parameters[j].Value, box, parameter.Value);
                AssertBoxEqual(parameter.Name, restoredMoments[j].ExpAvg, box, sourceMoments[i].ExpAvg);
                AssertBoxEqual(parameter.Name, restoredMoments[j].ExpAvgSq, box, sourceMoments[i].ExpAvgSq);
            }
        }
    }

    private static void AssertBoxEqual(string name, Tensor full, ParameterBox box, Tensor shard)
    {
        using var scope = NewDisposeScope();
        var slice = full.detach();
        for (var d = 0; d < box.Offsets.Length; d++) slice = slice.narrow(d, box.Offsets[d], box.Extents[d]);
        Assert.True(slice.allclose(shard.detach(), rtol: 0, atol: 0), $"{name}: the box at [{string.Join(", ", box.Offsets)}] differs from the shard saved for it");
    }

    /// <summary>Every rank of a grid built in this thread: its partition and an optimizer over it.</summary>
    private sealed class Ranks : IDisposable
    {
        private readonly List<GptPartition> _partitions = [];

        public Ranks(ParallelGrid grid, long seed)
        {
            var world = new InProcessWorld(grid);
            States = Enumerable.Range(0, grid.WorldSize).Select(r =>
            {
                var groups = world.GroupsOf(r);
                var partition = new GptPartition(Config, groups, new GptPartitionOptions(), seed);
                _partitions.Add(partition);
                return new RankTrainingState(groups, partition.Parameters, [], new DistributedOptimizer(partition.Parameters, groups, new AdamWOptions(), new DataParallelOptions()));
            }).ToList();
        }

        public IReadOnlyList<RankTrainingState> States { get; }

        public void Dispose() => _partitions.ForEach(p => p.Dispose());
    }
}
