using Orchestrator.Kernels.Communication;

namespace Orchestrator.Kernels.Tests.Communication;

public sealed class ParallelGridTests
{
    [Fact]
    public void Ranks_follow_megatron_order_tensor_fastest_then_data_then_pipeline()
    {
        var grid = new ParallelGrid(TensorParallelSize: 2, PipelineParallelSize: 2, DataParallelSize: 2);

        Assert.Equal(new RankCoordinates(1, 0, 0), grid.CoordinatesOf(1));
        Assert.Equal(new RankCoordinates(0, 0, 1), grid.CoordinatesOf(2));
        Assert.Equal(new RankCoordinates(1, 1, 1), grid.CoordinatesOf(7));
        Assert.All(Enumerable.Range(0, 8), r =>
        {
            var c = grid.CoordinatesOf(r);
            Assert.Equal(r, grid.RankOf(c.Tensor, c.Pipeline, c.Data));
        });
    }

    [Fact]
    public void Groups_of_a_2x2x2_grid_with_two_expert_ranks_have_the_expected_members()
    {
        var world = new InProcessWorld(new ParallelGrid(2, 2, 2, ExpertParallelSize: 2));

        var rank5 = world.GroupsOf(5); // t=1, d=0, p=1
        Assert.Equal([4, 5], rank5.Tensor.GlobalRanks);
        Assert.Equal([5, 7], rank5.Data.GlobalRanks);
        Assert.Equal([1, 5], rank5.Pipeline.GlobalRanks);
        Assert.Equal([0, 1, 4, 5], rank5.ModelParallel.GlobalRanks);
        Assert.Equal([5, 7], rank5.Expert.GlobalRanks);
        Assert.Equal([5], rank5.ExpertData.GlobalRanks);
        Assert.Equal([1, 5], rank5.Embedding.GlobalRanks);
        Assert.Equal(1, rank5.Tensor.Rank);
        Assert.True(rank5.IsLastStage);
    }

    [Fact]
    public void Model_parallel_group_holds_one_data_replica()
    {
        var world = new InProcessWorld(new ParallelGrid(2, 2, 2));

        Assert.Equal([0, 1, 4, 5], world.GroupsOf(4).ModelParallel.GlobalRanks);
        Assert.Equal([2, 3, 6, 7], world.GroupsOf(3).ModelParallel.GlobalRanks);
    }

    [Fact]
    public void Middle_stages_are_alone_in_their_embedding_group()
    {
        var world = new InProcessWorld(new ParallelGrid(PipelineParallelSize: 4));

        Assert.Equal([0, 3], world.GroupsOf(0).Embedding.GlobalRanks);
        Assert.Equal([1], world.GroupsOf(1).Embedding.GlobalRanks);
        Assert.Equal([0, 3], world.GroupsOf(3).Embedding.GlobalRanks);
    }

    [Theory]
    [InlineData(0, 1, 1, 1, "TensorParallelSize")]
    [InlineData(1, 0, 1, 1, "PipelineParallelSize")]
    [InlineData(1, 1, 0, 1, "DataParallelSize")]
    [InlineData(1, 1, 2, 4, "ExpertParallelSize")]
    public void A_bad_grid_is_refused_naming_the_field(int t, int p, int d, int e, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new ParallelGrid(t, p, d, e).Validate());

        Assert.Equal(field, error.ParamName);
    }
}
