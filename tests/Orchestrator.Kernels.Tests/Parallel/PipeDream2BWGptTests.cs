using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Pipeline;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>
/// PipeDream-2BW on GPT partitions equals a single-device run of its delayed update rule W(t+1) = W(t) - AdamW(∇f(W(t-1))),
/// tied embedding included (its two halves' gradients are summed across the first and last stage before each step).
/// </summary>
public sealed class PipeDream2BWGptTests
{
    private const double LearningRate = 1e-3;

    // The key bias has an exactly zero gradient (softmax ignores a shift shared by a row of scores), so both runs feed
    // AdamW pure rounding noise there; with eps 1e-8 that noise moves the bias by up to a percent of a step. A larger
    // eps keeps the comparison about the schedule, not about amplified rounding.
    private const double Epsilon = 1e-6;
    private const int Stages = 2;
    private const int MicroBatches = 2;
    private const int Batches = 3;

    [Fact]
    public void Losses_and_newest_weights_equal_the_delayed_update_rule_on_one_device()
    {
        var config = SmallGpt.Config;
        var (tokens, targets) = SmallGpt.Batch(sequences: MicroBatches * Batches, seed: 5);
        var microTokens = tokens.chunk(MicroBatches * Batches, 0);
        var microTargets = targets.chunk(MicroBatches * Batches, 0);

        // Reference: batch t is computed with version max(t-1, 0), its gradient applied to the newest version.
        using var evaluator = new Gpt(config, SmallGpt.Seed);
        using var master = new Gpt(config, SmallGpt.Seed);
        var masterParameters = master.parameters().ToList();
        using var optimizer = optim.AdamW(masterParameters, LearningRate, eps: Epsilon);
        var versions = new List<Dictionary<string, Tensor>> { Snapshot(master) };
        var expectedLosses = new List<double>();
        for (var t = 0; t < Batches; t++)
        {
            Load(evaluator, versions[Math.Max(t - 1, 0)]);
            for (var j = 0; j < MicroBatches; j++)
            {
                using var loss = evaluator.Loss(microTokens[(t * MicroBatches) + j], microTargets[(t * MicroBatches) + j]);
                expectedLosses.Add(loss.item<float>());
                using var scaled = loss / MicroBatches;
                scaled.backward();
            }

            foreach (var (name, parameter) in master.named_parameters())
            {
                parameter.grad = evaluator.Parameter(name).grad!.clone();
            }

            evaluator.zero_grad();
            optimizer.step();
            optimizer.zero_grad();
            versions.Add(Snapshot(master));
        }

        var schedule = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.PipeDream2BW, Stages, MicroBatches, Batches: Batches));
        var world = new InProcessWorld(new ParallelGrid(PipelineParallelSize: Stages));
        var ranks = world.Run(groups =>
        {
            using var even = new GptPartition(config, groups, new GptPartitionOptions(), SmallGpt.Seed);
            using var odd = new GptPartition(config, groups, new GptPartitionOptions(), SmallGpt.Seed);
            var word = even.Parameters.ToList().FindIndex(p => p.Name == GptParameterNames.WordEmbedding);
            using var model = new PipeDream2BWStageModel(even, odd, ps => optim.AdamW(ps, LearningRate, eps: Epsilon), masters =>
            {
                using var grad = masters[word].grad!;
                groups.Embedding.AllReduce(grad);
            });
            var executor = new PipelineExecutor(schedule, model, new CommunicatorPipelineTransport(groups.Pipeline));
            var result = executor.Run(new Batch(microTokens, microTargets), CancellationToken.None);
            var newest = even.Parameters.Zip(model.NewestWeights, (p, w) => (p.Name, Weight: w.detach().clone())).ToList();
            return (result.MicroBatchLosses, newest);
        });

        var losses = ranks[Stages - 1].MicroBatchLosses;
        Assert.Equal(MicroBatches * Batches, losses.Count);
        for (var j = 0; j < losses.Count; j++)
        {
            Assert.InRange(Math.Abs((losses[j] / expectedLosses[j]) - 1), 0, 1e-5);
        }

        // Batch 1 still used the initial weights, batch 2 the first update: the rule is really delayed.
        Assert.Equal(expectedLosses[0], losses[0], 5);
        foreach (var (name, weight) in ranks.SelectMany(r => r.newest))
        {
            var error = SmallGpt.RelativeError(weight, versions[Batches][name]);
            Assert.True(error < 1e-4, $"{name}: {error}");
        }
    }

    private static Dictionary<string, Tensor> Snapshot(Gpt model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static void Load(Gpt model, Dictionary<string, Tensor> weights)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            parameter.copy_(weights[name]);
        }
    }

    private sealed class Batch(Tensor[] inputs, Tensor[] targets) : IPipelineBatch
    {
        public Tensor Inputs(int microBatch) => inputs[microBatch];

        public Tensor Targets(int microBatch) => targets[microBatch];
    }
}
