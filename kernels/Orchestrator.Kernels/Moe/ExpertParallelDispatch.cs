using Orchestrator.Kernels.Communication;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// The expert-parallel path of the dropless layer: assignments sorted by expert travel to the rank that holds their
/// expert (all-to-all of uneven counts), are regrouped there by local expert and block-padded, computed, and sent back.
/// </summary>
internal static class ExpertParallelDispatch
{
    /// <summary>
    /// Expert outputs for every assignment of <paramref name="tokens"/>, computed by whichever rank of
    /// <paramref name="group"/> holds the assignment's expert, in this rank's sorted-by-expert order with the item each
    /// row holds. Also returns the layout this rank computed over.
    /// </summary>
    public static (Tensor ExpertRows, long[] ItemOfRow, ExpertLayout Layout) Compute(
        Tensor tokens, long[] expertOfItem, long[] tokenOfItem, MoeOptions options, ExpertWeights experts, ICommunicator group,
        GroupedProductStrategy strategy)
    {
        var ranks = group.Size;
        var local = options.LocalExpertCount;
        var device = tokens.device;

        // Block size 1 and no padding: a plain stable sort by global expert, so each destination's rows are contiguous.
        var sorted = ExpertLayout.SortedByExpert(expertOfItem, tokenOfItem, tokens.shape[0], options.ExpertCount);
        var perSourceAndExpert = ExchangeCounts(sorted.ItemsPerExpert, group, local);
        var sendRows = SumPerRank(sorted.ItemsPerExpert, ranks, local);
        var receiveRows = SumPerRank(perSourceAndExpert, ranks, local);
        var outgoing = TokenPermutation.Gather(tokens, sorted.SourceRowOfBufferRow);
        var received = ExpertAllToAll.Apply(outgoing, group, sendRows, receiveRows);

        // Arrivals are ordered by source rank, then local expert: label each row with its local expert and regroup.
        var localExpertOfRow = new long[receiveRows.Sum()];
        var identity = new long[localExpertOfRow.Length];
        var row = 0;
        for (var source = 0; source < ranks; source++)
        {
            for (var expert = 0; expert < local; expert++)
            {
                for (var n = 0L; n < perSourceAndExpert[source * local + expert]; n++)
                {
                    identity[row] = row;
                    localExpertOfRow[row++] = expert;
                }
            }
        }

        var layout = ExpertLayout.Dropless(localExpertOfRow, identity, localExpertOfRow.Length, local, options.BlockSize, strategy);
        var buffer = TokenPermutation.Gather(received, layout.SourceRowOfBufferRow);
        var computed = experts.ApplyGrouped(buffer, layout.GroupRows, strategy)
            .index_select(0, TokenPermutation.AsIndex(layout.BufferRowOfItem, device));
        var returned = ExpertAllToAll.Apply(computed, group, receiveRows, sendRows);
        return (returned, sorted.ItemOfBufferRow(), layout);
    }

    /// <summary>Tells every rank how many rows it gets from each source for each of its local experts.</summary>
    private static long[] ExchangeCounts(long[] perExpert, ICommunicator group, int localExperts)
    {
        using var noGrad = no_grad();
        var own = tensor(perExpert, dtype: ScalarType.Int64);
        var received = group.AllToAll(own.split(localExperts, 0));
        return cat(received.ToArray(), 0).data<long>().ToArray();
    }

    private static long[] SumPerRank(IReadOnlyList<long> perExpert, int ranks, int expertsPerRank)
    {
        var sums = new long[ranks];
        for (var i = 0; i < perExpert.Count; i++)
        {
            sums[i / expertsPerRank] += perExpert[i];
        }

        return sums;
    }
}
