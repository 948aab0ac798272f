using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// On a described H100 cluster (simulated backend: nothing runs), an automatic job gets the planner's layout, placed
/// by topology and priced for the links its placement uses.
/// </summary>
public sealed class PlannedStartTests
{
    [Fact]
    public async Task An_auto_job_on_accelerators_is_planned_placed_and_priced_for_its_placement()
    {
        var options = H100Cluster("planned");
        using var host = await DaemonHost.StartAsync(options);
        await using var client = await DaemonHost.ConnectAsync(options);

        var spec = TestJobs.Tiny("auto", gpus: 16, gpuType: "h100-80gb") with
        {
            Model = new ModelSpec("gpt", 24, 2048, 16, 2048, 51200),
            Training = new TrainingSpec(256, 1000, new OptimizerSpec()),
            Parallelism = ParallelismSpec.Automatic,
        };
        var id = (await client.SubmitAsync(spec)).Id;
        var job = await JobWaits.UntilAsync(client.Grains, id, j => j.CurrentAttempt is not null, TimeSpan.FromMinutes(1));

        var attempt = job.CurrentAttempt!;
        Assert.Equal("planner, priced for the links of its placement", attempt.Plan.Source);
        Assert.Equal(16, attempt.Plan.WorldSize);
        Assert.InRange(attempt.Plan.Tensor, 1, 8);
        Assert.True(attempt.Plan.PredictedStepSeconds > 0);
        // 16 devices fit in two nodes of one rack: the smallest subtree that holds the gang.
        Assert.Equal(2, attempt.Nodes.Count);
        Assert.Single(attempt.Nodes.Select(n => n[..n.LastIndexOf('-')]).Distinct());

        // A fixed layout without a micro-batch: the planner fills in the rest and predicts its step time too.
        var fixedSpec = spec with { Metadata = spec.Metadata with { Name = "fixed" }, Parallelism = new ParallelismSpec(false, Tensor: 4, Pipeline: 1, Data: 4) };
        var fixedId = (await client.SubmitAsync(fixedSpec)).Id;
        var fixedPlan = (await JobWaits.UntilAsync(client.Grains, fixedId, j => j.CurrentAttempt is not null, TimeSpan.FromMinutes(1))).CurrentAttempt!.Plan;
        Assert.Equal("fixed, completed by the planner, priced for the links of its placement", fixedPlan.Source);
        Assert.Equal((4, 1, 4), (fixedPlan.Tensor, fixedPlan.Pipeline, fixedPlan.Data));
        Assert.True(fixedPlan.MicroBatch >= 1 && 256 % (fixedPlan.MicroBatch * 4) == 0);
        Assert.True(fixedPlan.PredictedStepSeconds > 0);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_fixed_layout_with_min_gpus_below_its_size_starts_shrunk_on_what_is_free_with_the_planners_layout()
    {
        var options = H100Cluster("elastic");
        using var host = await DaemonHost.StartAsync(options);
        await using var client = await DaemonHost.ConnectAsync(options);
        var model = new ModelSpec("gpt", 24, 2048, 16, 2048, 51200);

        // 248 of the 256 devices taken, so 8 are left for a job that asks for 16 but accepts 8.
        var blocker = TestJobs.Tiny("blocker", gpus: 248, gpuType: "h100-80gb") with
        {
            Model = model, Training = new TrainingSpec(248, 1000, new OptimizerSpec()), Parallelism = new ParallelismSpec(false, Tensor: 8, Pipeline: 1, Data: 31),
        };
        var blockerId = (await client.SubmitAsync(blocker)).Id;
        await JobWaits.UntilAsync(client.Grains, blockerId, j => j.CurrentAttempt is not null, TimeSpan.FromMinutes(1));
        var elastic = TestJobs.Tiny("elastic", gpus: 16, gpuType: "h100-80gb") with
        {
            Model = model, Training = new TrainingSpec(256, 1000, new OptimizerSpec()),
            Parallelism = new ParallelismSpec(false, Tensor: 4, Pipeline: 1, Data: 4),
            Resources = new ResourcesSpec(16, "h100-80gb", MinGpus: 8),
        };
        var id = (await client.SubmitAsync(elastic)).Id;
        var plan = (await JobWaits.UntilAsync(client.Grains, id, j => j.CurrentAttempt is not null, TimeSpan.FromMinutes(1))).CurrentAttempt!.Plan;

        Assert.Equal(8, plan.WorldSize);
        Assert.StartsWith("shrunk from 16 to 8 devices (minGpus 8), planner", plan.Source);
        Assert.True(plan.PredictedStepSeconds > 0);
        await host.StopAsync();
    }

    /// <summary>A daemon on the described 256-H100 cluster whose workers are simulated (nothing runs).</summary>
    private static Orchestrator.Silo.Hosting.OrchestratorSiloOptions H100Cluster(string purpose)
    {
        var options = DaemonHost.Options(TestJobs.TemporaryDirectory(purpose));
        options.Inventory = TestJobs.RepositoryFile("examples/inventories/h100-4x8.yaml");
        options.Backend = "simulated";
        return options;
    }
}
