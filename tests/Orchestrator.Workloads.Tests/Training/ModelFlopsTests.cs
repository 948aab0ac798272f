using Orchestrator.Kernels.Moe;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class ModelFlopsTests
{
    private static readonly TrainingOptions Options = new(Layers: 2, Hidden: 32, Heads: 4, SequenceLength: 16, Vocabulary: 128, GlobalBatch: 8, MicroBatch: 2, Steps: 2);

    [Fact]
    public void A_step_costs_Megatron_LMs_count_and_full_recomputation_adds_the_blocks_forward_again()
    {
        double b = 8, s = 16, l = 2, h = 32, v = 128;
        // Megatron-LM's closed forms: 72·B·s·l·h²·(1 + s/6h + V/12lh) without recomputation, 96·…·(1 + s/6h + V/16lh) with full.
        var plain = 72 * b * s * l * h * h * (1 + (s / (6 * h)) + (v / (12 * l * h)));
        var full = 96 * b * s * l * h * h * (1 + (s / (6 * h)) + (v / (16 * l * h)));

        Close(plain, ModelFlops.PerStep(Options));
        Close(full, ModelFlops.PerStep(Options with { Recompute = "full" }));
        Close(plain, ModelFlops.PerStep(Options with { Recompute = "selective" }));
    }

    [Fact]
    public void An_moe_block_counts_its_top_k_experts_ffns_and_the_router()
    {
        double b = 8, s = 16, l = 2, h = 32, v = 128, k = 2, e = 8;
        var options = Options with { Moe = new GptMoeSettings(ExpertCount: 8, TopK: 2, Every: 2, BlockSize: 16) };
        // One MoE block (block 1): its MLP's 16·B·s·h² becomes k experts' FFNs 16·B·s·h²·k plus the router's 2·B·s·h·E.
        var dense = 72 * b * s * l * h * h * (1 + (s / (6 * h)) + (v / (12 * l * h)));
        var moe = dense + (3 * 1 * b * s * h * ((16 * h * (k - 1)) + (2 * e)));

        Close(moe, ModelFlops.PerStep(options));
        // Top-1 with the MLP's width costs the dense model plus the router alone.
        Close(dense + (3 * b * s * h * 2 * e), ModelFlops.PerStep(options with { Moe = options.Moe! with { TopK = 1 } }));
        // Every block an MoE block under full recomputation: four passes over both blocks.
        var everyBlock = options with { Moe = options.Moe! with { Every = 1 }, Recompute = "full" };
        var full = 96 * b * s * l * h * h * (1 + (s / (6 * h)) + (v / (16 * l * h)));
        Close(full + (4 * 2 * b * s * h * ((16 * h * (k - 1)) + (2 * e))), ModelFlops.PerStep(everyBlock));
    }

    [Fact]
    public async Task Each_step_reports_its_flops_and_mfu_when_the_peak_is_known()
    {
        var withPeak = new RecordingObserver();
        await TrainingLoop.RunAsync(Options with { DataParallelSize = 2, PeakFlopsPerDevice = 1e9 }, withPeak, CancellationToken.None);
        var withoutPeak = new RecordingObserver();
        await TrainingLoop.RunAsync(Options, withoutPeak, CancellationToken.None);

        Assert.All(withPeak.Steps, step =>
        {
            Assert.Equal(ModelFlops.PerStep(Options), step.ModelFlops);
            var expected = step.ModelFlops / (step.StepSeconds * 2 * 1e9);
            Assert.True(Math.Abs(step.Mfu!.Value / expected - 1) < 1e-12, $"MFU {step.Mfu} vs {expected}");
        });
        Assert.All(withoutPeak.Steps, step => Assert.Null(step.Mfu));
    }

    // The closed forms group the terms differently from the count: equal up to rounding.
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(actual / expected - 1) < 1e-12, $"{actual} FLOPs, expected {expected}");
}
