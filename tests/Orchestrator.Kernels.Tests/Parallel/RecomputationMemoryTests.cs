using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Parallel;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>Memory is process-wide, so these run alone.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

[Collection(nameof(MemoryMeasurement))]
public sealed class RecomputationMemoryTests
{
    [Fact]
    public void Recomputation_keeps_less_activation_memory_after_the_forward_pass_and_full_keeps_least()
    {
        var retained = new[] { RecomputationMode.None, RecomputationMode.Selective, RecomputationMode.Full }
            .ToDictionary(mode => mode, RetainedAfterForward);

        Assert.True(retained[RecomputationMode.Selective] < retained[RecomputationMode.None] * 0.8, Describe(retained));
        Assert.True(retained[RecomputationMode.Full] < retained[RecomputationMode.Selective] * 0.5, Describe(retained));
    }

    [Fact]
    public void Recomputation_gives_the_same_loss_and_gradients()
    {
        var results = new[] { RecomputationMode.None, RecomputationMode.Selective, RecomputationMode.Full }
            .Select(mode => LossAndGradients(mode))
            .ToList();

        foreach (var other in results.Skip(1))
        {
            Assert.Equal(results[0].Loss, other.Loss, 6);
            Assert.All(results[0].Gradients, g => Assert.True(SmallGpt.RelativeError(other.Gradients[g.Key], g.Value) < 1e-6, g.Key));
        }
    }

    private static long RetainedAfterForward(RecomputationMode mode)
    {
        var config = SmallGpt.Config with { SequenceLength = 128 };
        var groups = new InProcessWorld(new ParallelGrid()).GroupsOf(0);
        using var partition = new GptPartition(config, groups, new GptPartitionOptions(Recomputation: mode), SmallGpt.Seed);
        using var tokens = randint(0, config.Vocabulary, [4, 128], ScalarType.Int64);
        var before = NativeHeap.AllocatedBytes();
        Tensor loss;
        using (var scope = NewDisposeScope())
        {
            // What the graph keeps for backward survives the scope; temporaries do not.
            loss = partition.Chunks[0].Forward(tokens, tokens).MoveToOuterDisposeScope();
        }

        var after = NativeHeap.AllocatedBytes();
        loss.backward();
        loss.Dispose();
        return after - before;
    }

    private static (float Loss, Dictionary<string, Tensor> Gradients) LossAndGradients(RecomputationMode mode)
    {
        var groups = new InProcessWorld(new ParallelGrid()).GroupsOf(0);
        using var partition = new GptPartition(SmallGpt.Config, groups, new GptPartitionOptions(Recomputation: mode), SmallGpt.Seed);
        var (tokens, targets) = SmallGpt.Batch(sequences: 2);
        using var loss = partition.Chunks[0].Forward(tokens, targets);
        loss.backward();
        return (loss.item<float>(), partition.Parameters.ToDictionary(p => p.Name, p => p.Value.grad!.clone()));
    }

    private static string Describe(Dictionary<RecomputationMode, long> retained) =>
        string.Join(", ", retained.Select(r => $"{r.Key}: {r.Value / 1024} KiB"));
}
