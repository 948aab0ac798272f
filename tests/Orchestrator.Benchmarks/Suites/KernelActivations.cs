using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Parallel;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Memory;
using Orchestrator.Planning.Model;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// The planner's activation memory against the bytes the TorchSharp kernels allocate for the same tiny pipeline
/// (<see cref="ActivationPeakMeasurement"/>): the two halves of the project checking each other. The kernels keep
/// FP32 activations and use no dropout; the planner counts Megatron's 16-bit activations with dropout masks, so its
/// figure is doubled for the comparison and the ratio is reported as it comes, not adjusted.
/// </summary>
internal static class KernelActivations
{
    public static void Compare(BenchmarkReport report)
    {
        TorchRuntime.EnsureLoaded();
        // The first measurement in a process also catches LibTorch's first-use allocations (caches, the C heap
        // growing); run one untimed so every reported figure is a warm one.
        ActivationPeakMeasurement.Measure(RecomputationMode.None);
        var config = ActivationPeakMeasurement.Config;
        var model = new TransformerModel(config.Layers, config.Hidden, config.Heads, config.SequenceLength, config.Vocabulary, FlashAttention: false);
        var stages = ActivationPeakMeasurement.Stages;
        var training = new TrainingShape(ActivationPeakMeasurement.MicroBatchSize * stages);
        var layersPerStage = config.Layers / stages;
        Console.WriteLine();
        Console.WriteLine("  activation bytes, TorchSharp kernels (measured) vs planner (16-bit figures x 2 for FP32)");
        foreach (var mode in Enum.GetValues<RecomputationMode>())
        {
            var recompute = mode switch { RecomputationMode.Full => RecomputeMode.Full, RecomputationMode.Selective => RecomputeMode.Selective, _ => RecomputeMode.None };
            var choice = new LayoutChoice(new ParallelLayout(1, stages, 1), ActivationPeakMeasurement.MicroBatchSize, recompute);
            foreach (var peak in ActivationPeakMeasurement.Measure(mode))
            {
                var first = peak.Stage == 0;
                var planner = 2 * MemoryModel.Activations(model.ResolvedFor(HardwareCatalog.Get("a100-80gb")), training, choice, layersPerStage, first, stages);
                var ratio = planner / peak.ActivationBytes;
                var name = $"kernels_activation_planner_over_measured.rank{peak.Stage}.recompute_{mode.ToString().ToLowerInvariant()}";
                Console.WriteLine($"  {name,-60} measured {peak.ActivationBytes,10:N0} planner {planner,10:N0} ratio {ratio:F2}");
                report.Add(name, ratio, "ratio", new Dictionary<string, object>
                {
                    ["measuredBytes"] = peak.ActivationBytes,
                    ["plannerBytesFp32"] = planner,
                    ["inFlightMicroBatches"] = peak.InFlightMicroBatches,
                    ["shape"] = $"layers {config.Layers}, hidden {config.Hidden}, heads {config.Heads}, sequence {config.SequenceLength}, vocabulary {config.Vocabulary}, micro-batch {ActivationPeakMeasurement.MicroBatchSize}, 1F1B over {stages} stages",
                });
            }
        }
    }
}
