using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Training;

namespace Orchestrator.Kernels.Tests.Parallel;

public sealed class GptPartitionTests
{
    [Theory]
    [InlineData(2, 2, 1, 1)]
    [InlineData(1, 2, 1, 2)]
    [InlineData(2, 1, 2, 1)]
    [InlineData(1, 4, 1, 1)]
    public void The_same_seed_gives_the_single_device_model_whatever_the_layout(int tensor, int pipeline, int data, int virtualStages)
    {
        using var reference = new Gpt(SmallGpt.Config, SmallGpt.Seed);
        var world = new InProcessWorld(new ParallelGrid(tensor, pipeline, data));

        var held = world.Run(groups =>
        {
            using var partition = new GptPartition(SmallGpt.Config, groups, new GptPartitionOptions(VirtualStages: virtualStages), SmallGpt.Seed);
            return partition.Parameters.Select(p =>
            {
                using var full = p.ShardDimension < 0 ? p.Value.detach().clone() : groups.Tensor.AllGather(p.Value.detach(), p.ShardDimension);
                return (p.Name, Equal: full.allclose(reference.Parameter(p.Name), rtol: 0, atol: 0));
            }).ToList();
        });

        Assert.All(held.SelectMany(r => r), p => Assert.True(p.Equal, p.Name));
        // Every parameter of the full model is held somewhere.
        Assert.Equal(GptParameterNames.All(SmallGpt.Config).Select(p => p.Name).Order(), held.SelectMany(r => r).Select(p => p.Name).Distinct().Order());
    }

    [Fact]
    public void Chunks_of_an_interleaved_rank_hold_the_layers_of_their_virtual_stages()
    {
        var config = SmallGpt.Config with { Layers = 8 };
        var world = new InProcessWorld(new ParallelGrid(PipelineParallelSize: 2));

        var chunks = world.Run(groups =>
        {
            using var partition = new GptPartition(config, groups, new GptPartitionOptions(VirtualStages: 2), SmallGpt.Seed);
            return partition.Chunks.Select(c => (c.VirtualStage, c.FirstLayer, c.LayerCount, c.HasEmbedding, c.HasHead)).ToList();
        });

        // Rank 0 runs virtual stages 0 and 2, rank 1 runs 1 and 3; two layers each.
        Assert.Equal([(0, 0, 2, true, false), (2, 4, 2, false, false)], chunks[0]);
        Assert.Equal([(1, 2, 2, false, false), (3, 6, 2, false, true)], chunks[1]);
    }

    [Fact]
    public void The_last_stage_holds_a_tied_copy_of_the_word_embedding_only_when_it_is_another_rank()
    {
        var world = new InProcessWorld(new ParallelGrid(PipelineParallelSize: 2));

        var copies = world.Run(groups =>
        {
            using var partition = new GptPartition(SmallGpt.Config, groups, new GptPartitionOptions(), SmallGpt.Seed);
            return partition.Parameters.Where(p => p.Name == GptParameterNames.WordEmbedding).Select(p => p.IsTiedCopy).ToList();
        });

        Assert.Equal([false], copies[0]);
        Assert.Equal([true], copies[1]);
    }

    [Theory]
    [InlineData(3, 1, 1, false, "Heads")]
    [InlineData(1, 3, 1, false, "Layers")]
    [InlineData(1, 2, 4, false, "Layers")]
    [InlineData(1, 1, 0, false, "VirtualStages")]
    [InlineData(3, 1, 1, true, "Heads")]
    public void A_layout_that_does_not_divide_the_model_is_refused_naming_the_field(
        int tensor, int pipeline, int virtualStages, bool sequenceParallel, string field)
    {
        var config = SmallGpt.Config with { Heads = 4 };
        var groups = new InProcessWorld(new ParallelGrid(tensor, pipeline)).GroupsOf(0);

        var error = Assert.Throws<ArgumentException>(() =>
            new GptPartition(config, groups, new GptPartitionOptions(virtualStages, sequenceParallel), SmallGpt.Seed));

        Assert.Equal(field, error.ParamName);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Sequence_parallelism_needs_the_sequence_to_split_over_the_tensor_group()
    {
        var config = SmallGpt.Config with { SequenceLength = 30 };
        var groups = new InProcessWorld(new ParallelGrid(TensorParallelSize: 4)).GroupsOf(0);

        var error = Assert.Throws<ArgumentException>(() =>
            new GptPartition(config, groups, new GptPartitionOptions(SequenceParallel: true), SmallGpt.Seed));

        Assert.Equal("SequenceLength", error.ParamName);
        Assert.Contains("sequence parallelism", error.Message);
    }

    [Fact]
    public void ZeRO_1_keeps_a_data_parallel_share_of_the_optimizer_state()
    {
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2));

        var states = world.Run(groups =>
        {
            using var partition = new GptPartition(SmallGpt.Config, groups, new GptPartitionOptions(), SmallGpt.Seed);
            var whole = new DistributedOptimizer(partition.Parameters, groups, new AdamWOptions(), new DataParallelOptions());
            var sharded = new DistributedOptimizer(partition.Parameters, groups, new AdamWOptions(), new DataParallelOptions(ShardOptimizerState: true));
            var elements = partition.Parameters.Sum(p => p.Value.numel());
            return (whole.OptimizerStateElements, sharded.OptimizerStateElements, elements);
        });

        Assert.All(states, s =>
        {
            Assert.Equal(2 * s.elements, s.Item1);
            Assert.Equal(s.elements, s.Item2);
        });
    }

    [Fact]
    public void The_last_stage_refuses_missing_or_misshapen_targets()
    {
        var groups = new InProcessWorld(new ParallelGrid()).GroupsOf(0);
        using var partition = new GptPartition(SmallGpt.Config, groups, new GptPartitionOptions(), SmallGpt.Seed);
        var (tokens, targets) = SmallGpt.Batch(sequences: 2);

        Assert.Throws<ArgumentNullException>(() => partition.Forward(0, tokens, null));
        var error = Assert.Throws<ArgumentException>(() => partition.Forward(0, tokens, targets.narrow(1, 0, 16)));
        Assert.Contains("[2, 32]", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => partition.Forward(1, tokens, targets));
    }
}
