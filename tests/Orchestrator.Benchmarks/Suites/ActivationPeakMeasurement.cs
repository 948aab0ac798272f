using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Parallel;
using static TorchSharp.torch;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Peak native heap of each stage of a (1,2,1) 1F1B pipeline of the small TorchSharp GPT at its most loaded moment:
/// stage r holds p-r micro-batches' activations. Ranks share one process heap, so each is measured alone,
/// replaying its peak. The <c>kernels</c> suite reports the figures; the <c>planner</c> suite compares its memory
/// model against them for the same shapes.
/// </summary>
internal static class ActivationPeakMeasurement
{
    public const int Stages = 2;
    public const int MicroBatchSize = 8;

    public static GptConfig Config { get; } = new(Layers: 4, Hidden: 64, Heads: 4, Vocabulary: 256, SequenceLength: 32);

    /// <summary>One stage's measurement.</summary>
    public sealed record StagePeak(int Stage, int InFlightMicroBatches, long ActivationBytes, long WeightBytes);

    public static IReadOnlyList<StagePeak> Measure(RecomputationMode mode)
    {
        var config = Config;
        var world = new InProcessWorld(new ParallelGrid(1, Stages, 1));
        var peaks = new List<StagePeak>();
        for (var stage = 0; stage < Stages; stage++)
        {
            using var scope = NewDisposeScope();
            var groups = world.GroupsOf(world.Grid.RankOf(0, stage, 0));
            var before = NativeHeap.AllocatedBytes();
            using var partition = new GptPartition(config, groups, new(Recomputation: mode), 1234);
            var chunk = partition.Chunks.Single();
            var weights = NativeHeap.AllocatedBytes() - before;
            var inFlight = Stages - stage;
            var tokens = zeros([MicroBatchSize, config.SequenceLength], ScalarType.Int64);
            var outputs = new List<Tensor>();
            var baseline = NativeHeap.AllocatedBytes();
            for (var j = 0; j < inFlight; j++)
            {
                var input = chunk.HasEmbedding ? tokens : randn([MicroBatchSize, config.SequenceLength, config.Hidden]).requires_grad_();
                outputs.Add(chunk.Forward(input, chunk.HasHead ? tokens : null));
            }

            var peak = NativeHeap.AllocatedBytes() - baseline;
            foreach (var output in outputs) output.backward(chunk.HasHead ? null : [ones_like(output)]);
            peaks.Add(new StagePeak(stage, inFlight, peak, weights));
        }

        return peaks;
    }
}
