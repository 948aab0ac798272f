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

        Assert.Equal(plain, ModelFlops.PerStep(Options), 6);
        Assert.Equal(full, ModelFlops.PerStep(Options with { Recompute = "full" }), 6);
        Assert.Equal(plain, ModelFlops.PerStep(Options with { Recompute = "selective" }), 6);
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
}
