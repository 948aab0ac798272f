using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Kernels.Tests.Parallel;
using Orchestrator.Kernels.Training;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

/// <summary>
/// Issue 4's equality tests for the layouts with pipeline stages: the small GPT (hidden 64, 4 heads, vocabulary 256,
/// sequence 32, fp32) under GPipe, 1F1B and interleaved 1F1B gives the single-device loss and every gradient within
/// 1e-5 relative and, after three AdamW steps with clipping, the same weights within 1e-4; PipeDream-2BW gives the
/// weights of a single-device run of its delayed update rule.
/// </summary>
public sealed class GptPipelineEqualityTests
{
    private const int Steps = 3;
    private const double LearningRate = 1e-3;
    private const double MaxNorm = 0.5;

    private static GptConfig Config(int layers) => new(Layers: layers, Hidden: 64, Heads: 4, Vocabulary: 256, SequenceLength: 32);

    private static (Tensor Tokens, Tensor Targets) Batch(int sequences, long seed)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        using var stream = randint(0, 256, [sequences, 33], ScalarType.Int64, generator: generator);
        return (stream.narrow(1, 0, 32).contiguous(), stream.narrow(1, 1, 32).contiguous());
    }

    private static double RelativeError(Tensor actual, Tensor expected)
    {
        using var difference = actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64);
        var scale = expected.to(ScalarType.Float64).norm().item<double>();
        return scale == 0 ? difference.norm().item<double>() : difference.norm().item<double>() / scale;
    }

    public static TheoryData<int, int, int, int, PipelineScheduleKind, int> Layouts() => new()
    {
        // tensor, pipeline, data, virtual stages, schedule, layers
        { 1, 2, 1, 1, PipelineScheduleKind.GPipe, 4 },
        { 1, 2, 1, 1, PipelineScheduleKind.OneForwardOneBackward, 4 },
        { 2, 2, 2, 1, PipelineScheduleKind.OneForwardOneBackward, 4 },
        { 1, 4, 1, 2, PipelineScheduleKind.Interleaved, 8 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Loss_gradients_and_weights_after_three_steps_equal_the_single_device_reference(int tensor, int pipeline, int data, int virtualStages, PipelineScheduleKind kind, int layers)
    {
        var config = Config(layers);
        var (tokens, targets) = Batch(sequences: 8, seed: 99);
        // The pipelined ranks use the distributed optimizer's default AdamW epsilon (1e-8): the reference does too.
        var reference = ReferenceRun.Train(config, tokens, targets, Steps, LearningRate, MaxNorm, epsilon: 1e-8);
        var microBatches = 8 / data / 2;  // micro-batches of 2 sequences
        var ranks = GptPipelineRun.Train(config, new ParallelGrid(tensor, pipeline, data), new(kind, pipeline, microBatches, virtualStages), tokens, targets, Steps, LearningRate, MaxNorm);

        var losses = ranks.SelectMany(r => r.FirstStepLosses).ToList();
        Assert.Equal(microBatches * data, losses.Count);
        Assert.InRange(Math.Abs(losses.Average() / reference.Loss - 1), 0, 1e-5);

        var seen = new HashSet<string>();
        foreach (var rank in ranks)
        {
            foreach (var (name, gradient) in rank.Gradients)
            {
                var canonical = name.Replace("tied:", "", StringComparison.Ordinal);
                seen.Add(canonical);
                Assert.True(RelativeError(gradient, reference.Gradients[canonical]) < 1e-5, $"gradient of {name}: {RelativeError(gradient, reference.Gradients[canonical]):G3}");
                Assert.True(RelativeError(rank.Weights[name], reference.Weights[canonical]) < 1e-4, $"weight {name}: {RelativeError(rank.Weights[name], reference.Weights[canonical]):G3}");
            }
        }

        Assert.Equal(reference.Gradients.Keys.Order(), seen.Order());
    }

    [Fact]
    public void PipeDream_2bw_equals_a_single_device_run_of_the_delayed_update_rule()
    {
        const int stages = 2, microBatches = 2, batches = 3;
        var config = Config(4);
        var (tokens, targets) = Batch(sequences: 2 * microBatches * batches, seed: 5);
        var perBatch = Enumerable.Range(0, batches)
            .Select(t => (tokens.narrow(0, t * 2 * microBatches, 2 * microBatches).contiguous(), targets.narrow(0, t * 2 * microBatches, 2 * microBatches).contiguous()))
            .ToList();
        var expected = GptReference.TrainDelayed(config, perBatch, LearningRate, MaxNorm);

        var schedule = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.PipeDream2BW, stages, microBatches, Batches: batches));
        var world = new InProcessWorld(new ParallelGrid(1, stages, 1));
        var weights = world.Run(groups =>
        {
            var even = new GptPartition(config, groups, new(), 1234);
            var odd = new GptPartition(config, groups, new(), 1234);
            using var model = new PipeDream2BWStageModel(even, odd, master =>
            {
                var optimizer = new DistributedOptimizer(even.Parameters.Zip(master, (p, m) => p with { Value = m }).ToList(), groups, new AdamWOptions(LearningRate, WeightDecay: 0.01), new DataParallelOptions(MaxGradientNorm: MaxNorm));
                return () => optimizer.Step();
            });
            // Micro-batch j of the whole schedule is sequences 2j, 2j+1.
            var batch = new GptPipelineRun.SliceBatch(tokens, targets, 1, 0, microBatches * batches);
            new PipelineExecutor(schedule, model, new CommunicatorPipelineTransport(groups.Pipeline)).Run(batch, CancellationToken.None);
            return even.Parameters.Zip(model.NewestWeights, (p, w) => ((p.IsTiedCopy ? "tied:" : "") + p.Name, w.detach().clone())).ToList();
        });

        var seen = new HashSet<string>();
        foreach (var (name, value) in weights.SelectMany(w => w))
        {
            var canonical = name.Replace("tied:", "", StringComparison.Ordinal);
            seen.Add(canonical);
            Assert.True(RelativeError(value, expected[canonical]) < 1e-4, $"weight {name}: {RelativeError(value, expected[canonical]):G3}");
        }

        Assert.Equal(expected.Keys.Order(), seen.Order());
    }
}
