using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// The one collective expert parallelism needs: an all-to-all of rows with uneven counts over the expert-parallel
/// group. Every rank of the group calls it with matching counts, in the same order.
/// </summary>
internal interface IExpertExchange
{
    /// <summary>This rank's index in the expert-parallel group.</summary>
    int Rank { get; }

    /// <summary>Ranks in the expert-parallel group.</summary>
    int Size { get; }

    /// <summary>
    /// Sends rows [sum(sendRows[..r]), +sendRows[r]) of <paramref name="input"/> to rank r and returns the rows
    /// received, concatenated in source-rank order; <paramref name="receiveRows"/>[r] rows come from rank r.
    /// </summary>
    Tensor AllToAll(Tensor input, IReadOnlyList<long> sendRows, IReadOnlyList<long> receiveRows);
}
