using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>Builds the layers of an expert-parallel group.</summary>
internal static class ExpertParallelMoe
{
    /// <summary>
    /// The layer of rank <c>exchange.Rank</c>: the same router as <paramref name="reference"/> and its contiguous slice
    /// of experts [rank * local, (rank + 1) * local), so a group built from one layer computes what that layer computes.
    /// </summary>
    public static DroplessMoeLayer Shard(
        DroplessMoeLayer reference, MoeOptions options, IExpertExchange exchange,
        GroupedProductStrategy strategy = GroupedProductStrategy.PerExpertGroups)
    {
        options.Validate();
        var local = options.LocalExpertCount;
        using var noGrad = no_grad();
        var router = new TopKRouter(options, reference.Router.Weight);
        var start = exchange.Rank * local;
        var experts = new ExpertWeights(
            reference.Experts.Input.narrow(0, start, local), reference.Experts.Output.narrow(0, start, local));
        return new DroplessMoeLayer(options, router, experts, exchange, strategy);
    }
}
