using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Kernels.Moe;
using Orchestrator.Worker;

namespace Orchestrator.Workloads.Tests.Worker;

/// <summary>The worker's mapping of a job spec and its fixed layout onto the built-in loop's options, for MoE models.</summary>
public sealed class TrainingOptionsMappingTests
{
    [Fact]
    public async Task The_moe_example_maps_to_dropless_experts_split_over_the_expert_parallel_ranks()
    {
        var spec = await JobSpecLoader.LoadAsync(RepositoryFile("examples/gpt-moe.yaml"));

        var options = TrainingOptionsMapping.From(Assignment(spec));

        options.Validate();
        // hidden 64: the experts' FFN is 256 wide, so the kernels' default block size divides it.
        Assert.Equal(new GptMoeSettings(ExpertCount: 4, TopK: 2, Every: 2, BlockSize: MoeOptions.DefaultBlockSize), options.Moe);
        Assert.Equal((1, 1, 2, 2), (options.TensorParallelSize, options.PipelineParallelSize, options.DataParallelSize, options.ExpertParallelSize));
    }

    [Fact]
    public async Task The_block_size_is_the_largest_power_of_two_up_to_the_default_that_divides_the_ffn()
    {
        var spec = await JobSpecLoader.LoadAsync(RepositoryFile("examples/gpt-moe.yaml"));
        var narrow = spec with { Model = spec.Model with { Hidden = 40 } };

        var options = TrainingOptionsMapping.From(Assignment(narrow));

        options.Validate();
        Assert.Equal(32, options.Moe!.BlockSize);
    }

    [Fact]
    public async Task A_dense_spec_maps_to_a_dense_model()
    {
        var spec = await JobSpecLoader.LoadAsync(RepositoryFile("examples/gpt-tiny.yaml"));

        var options = TrainingOptionsMapping.From(Assignment(spec));

        Assert.Null(options.Moe);
        Assert.Equal(1, options.ExpertParallelSize);
    }

    [Fact]
    public async Task A_capacity_factor_is_refused_naming_the_spec_field()
    {
        var spec = await JobSpecLoader.LoadAsync(RepositoryFile("examples/gpt-moe.yaml"));
        var capacity = spec with { Model = spec.Model with { Moe = spec.Model.Moe! with { CapacityFactor = 1.25 } } };

        var error = Assert.Throws<ArgumentException>(() => TrainingOptionsMapping.From(Assignment(capacity)));

        Assert.Equal("spec.model.moe.capacityFactor", error.ParamName);
        Assert.Contains("dropless", error.Message, StringComparison.Ordinal);
    }

    private static WorkerAssignment Assignment(TrainingJobSpec spec)
    {
        var p = spec.Parallelism;
        var plan = new JobPlan(p.Tensor, p.Pipeline, p.Data, p.Expert, p.VirtualStages, p.MicroBatch ?? 1, p.Schedule, p.Recompute, p.SequenceParallel, null, "fixed");
        var ranks = Enumerable.Range(0, p.WorldSize).Select(r => new PlacedRank(r, $"cpu-{r}", "node")).ToList();
        return new WorkerAssignment("job", 1, "node", ranks, p.WorldSize, plan, spec, ["127.0.0.1:30000"], "cluster", "service", null, 0);
    }

    private static string RepositoryFile(string path)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return Path.Combine(dir.FullName, path);
        }

        throw new InvalidOperationException("repository root not found");
    }
}
