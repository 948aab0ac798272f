using Orchestrator.Kernels.Moe;
using Orchestrator.Workloads.Training;
using Xunit.Abstractions;

namespace Orchestrator.Workloads.Tests.Training;

/// <summary>
/// The training loop on a Mixture-of-Experts GPT (4 blocks, every second one with 4 experts, top-2): every (t, p, d, e)
/// layout trains the same model on the same global batch, so its losses equal one rank's.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class MoeTrainingTests(ITestOutputHelper output)
{
    internal static readonly TrainingOptions Small = new(
        Layers: 4, Hidden: 32, Heads: 2, SequenceLength: 16, Vocabulary: 256, GlobalBatch: 8, MicroBatch: 2, Steps: 4, LearningRate: 1e-2,
        Moe: new GptMoeSettings(ExpertCount: 4, TopK: 2, Every: 2, BlockSize: 16));

    public static TheoryData<int, int, int, int, bool, bool> Layouts() => new()
    {
        // tensor, pipeline, data, expert, ZeRO-1, sequence parallel
        { 1, 1, 2, 2, false, false },
        { 2, 1, 2, 2, false, false },
        { 1, 2, 2, 1, false, false },
        // Expert-data groups of two: expert gradients are averaged there, AdamW state sharded there.
        { 1, 1, 4, 2, true, false },
        // Sequence parallelism: the router and its auxiliary losses must still see whole sequences.
        { 2, 1, 1, 1, false, true },
        { 2, 1, 2, 2, false, true },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Losses_of_the_first_steps_equal_the_single_rank_run(int tensor, int pipeline, int data, int expert, bool zero, bool sequenceParallel)
    {
        var single = await TrainingLoop.RunAsync(Small, new RecordingObserver(), CancellationToken.None);
        var options = Small with
        {
            TensorParallelSize = tensor, PipelineParallelSize = pipeline, DataParallelSize = data, ExpertParallelSize = expert, ShardOptimizerState = zero,
            SequenceParallel = sequenceParallel,
        };
        var parallel = await TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None);
        output.WriteLine($"single: {string.Join(" ", single.Losses.Select(l => l.ToString("F7")))}");
        output.WriteLine($"t{tensor} p{pipeline} d{data} e{expert}: {string.Join(" ", parallel.Losses.Select(l => l.ToString("F7")))}");

        Assert.Equal(Small.Steps, parallel.StepsCompleted);
        for (var step = 0; step < Small.Steps; step++)
        {
            Assert.True(Math.Abs(parallel.Losses[step] - single.Losses[step]) <= 1e-5, $"step {step}: {parallel.Losses[step]} vs single rank {single.Losses[step]}");
        }
    }

    [Fact]
    public async Task The_moe_blocks_are_built_so_the_first_loss_differs_from_the_dense_models()
    {
        var moe = await TrainingLoop.RunAsync(Small, new RecordingObserver(), CancellationToken.None);
        var dense = await TrainingLoop.RunAsync(Small with { Moe = null }, new RecordingObserver(), CancellationToken.None);

        // The MoE blocks replace the dense MLPs: same seed, other weights, so the losses part at once.
        Assert.True(Math.Abs(moe.Losses[0] - dense.Losses[0]) > 1e-4, $"MoE {moe.Losses[0]}, dense {dense.Losses[0]}");
    }

    [Fact]
    public async Task Loss_falls_clearly_within_thirty_steps_with_the_experts_split_over_two_ranks()
    {
        var result = await TrainingLoop.RunAsync(Small with { DataParallelSize = 2, ExpertParallelSize = 2, Steps = 30 }, new RecordingObserver(), CancellationToken.None);
        output.WriteLine(string.Join(" ", result.Losses.Select(l => l.ToString("F2"))));

        Assert.InRange(result.FirstLoss, Math.Log(256) - 0.5, Math.Log(256) + 0.5);
        var lastFive = result.Losses.TakeLast(5).Average();
        Assert.True(lastFive < result.FirstLoss - 1.5, $"loss went from {result.FirstLoss:F3} to {lastFive:F3}");
    }
}
