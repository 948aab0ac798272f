using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>Builds the layers of an expert-parallel group so that every layout holds slices of the same full layer.</summary>
internal static class ExpertParallelMoe
{
    /// <summary>
    /// The full layer's weights from <paramref name="seed"/>: the same on every rank whatever the layout, so a rank can
    /// keep its slice and the group holds exactly the layer a single rank would build from that seed.
    /// </summary>
    public static (Tensor Router, Tensor Input, Tensor Output) InitialWeights(MoeOptions options, long seed)
    {
        TorchRuntime.EnsureLoaded();
        using var generator = new Generator((ulong)seed);
        var router = normal(0.0, 0.02, [options.HiddenSize, options.ExpertCount], generator: generator);
        var input = normal(0.0, 0.02, [options.ExpertCount, options.HiddenSize, options.FfnHiddenSize], generator: generator);
        var output = normal(0.0, 0.02, [options.ExpertCount, options.FfnHiddenSize, options.HiddenSize], generator: generator);
        return (router, input, output);
    }

    /// <summary>
    /// The layer of this rank: the same router as <paramref name="fullRouter"/> and its contiguous slice of experts
    /// [rank * local, (rank + 1) * local) of the full weights, for expert-parallel rank <c>groups.Expert.Rank</c>.
    /// </summary>
    public static DroplessMoeLayer Shard(
        Tensor fullRouter, Tensor fullInput, Tensor fullOutput, MoeOptions options, ProcessGroups groups, bool sequenceParallel,
        GroupedProductStrategy strategy)
    {
        options.Validate();
        if (groups.Expert.Size != options.ExpertParallelSize)
        {
            throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.ExpertParallelSize)} is {options.ExpertParallelSize} but this rank's expert-parallel group has {groups.Expert.Size} ranks (grid {groups.Grid}).",
                nameof(options));
        }

        var local = options.LocalExpertCount;
        var start = groups.Expert.Rank * local;
        using var noGrad = no_grad();
        var router = new TopKRouter(options, fullRouter);
        var experts = new ExpertWeights(fullInput.narrow(0, start, local), fullOutput.narrow(0, start, local));
        // Under sequence parallelism each tensor rank already holds different tokens: no split across the tensor group.
        var tensorGroup = sequenceParallel || groups.Tensor.Size == 1 ? null : groups.Tensor;
        return new DroplessMoeLayer(options, router, experts, groups.Expert.Size == 1 ? null : groups.Expert, tensorGroup, strategy);
    }

    /// <summary>A group built from <paramref name="reference"/>'s weights (tests compare it with that layer).</summary>
    public static DroplessMoeLayer Shard(
        DroplessMoeLayer reference, MoeOptions options, ProcessGroups groups, bool sequenceParallel = false,
        GroupedProductStrategy strategy = GroupedProductStrategy.ExactGroups) =>
        Shard(reference.Router.Weight, reference.Experts.Input, reference.Experts.Output, options, groups, sequenceParallel, strategy);
}
