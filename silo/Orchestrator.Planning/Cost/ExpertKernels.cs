using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// The small kernels of one dropless MoE layer besides its GEMMs, activation and all-to-alls, with the HBM bytes each
/// moves, counted from Megatron-Core's MoE code (router with <c>moe_router_fusion</c>, all-to-all dispatcher,
/// <c>moe_permute_fusion</c>): one entry per kernel launch.
/// </summary>
/// <param name="Forward">Bytes of each forward kernel.</param>
/// <param name="Backward">Bytes of each backward kernel.</param>
/// <remarks>
/// Notation: T tokens on the rank, A = T·k routed copies (sent and, under balanced routing, received), E experts,
/// h hidden, 16-bit tokens, FP32 routing scores. Forward:
/// router: the fused top-k and softmax (reads the T·E logits, writes the probabilities and the 1-byte routing map),
/// the auxiliary load-balancing loss (fused scores, tokens per expert, the loss: three kernels reading T·E scores);
/// dispatcher preprocessing (<c>preprocess</c>): tokens per expert from the routing map, then the split sizes: with
/// expert parallelism the input splits, the slice of the gathered counts for the local experts, output splits, tokens
/// per local expert and the count matrix the chunk sort needs, each a reduction plus a device→host copy (10 launches
/// of a few bytes); the fused permutation (<c>permute</c>): a row-id map over the routing map (3 kernels: Transformer
/// Engine's <c>moe_permute</c> builds it in three passes) and the gather of A rows (reads A·h·2, writes A·h·2 and A
/// probabilities); with several local experts the fused chunk sort by local expert after the dispatch and back before
/// the combine (<c>sort_chunks_by_idxs</c>: a row-id map and the copy, reading and writing A·h·2); the fused
/// unpermutation that merges the k copies of each token (reads A·h·2, writes T·h·2). Backward: the same data
/// movement in reverse (unpermute → permute of the gradient, the two chunk sorts, the merge of the k gradient copies),
/// the top-k/softmax backward (reads probabilities and their gradients, writes the logits' gradient) and the auxiliary
/// loss backward (two kernels). Without expert parallelism and with one local expert no sort or split sizes are needed.
/// </remarks>
internal sealed record ExpertKernels(IReadOnlyList<double> Forward, IReadOnlyList<double> Backward)
{
    /// <summary>Device→host copies and reductions that turn the token counts into split sizes (expert parallelism).</summary>
    public const int SplitSizeLaunches = 10;

    private const double ScoreBytes = 4;
    private const double MapBytes = 1;
    private const double CountBytes = 8;

    /// <summary>The inventory for <paramref name="tokens"/> tokens routed into <paramref name="routed"/> copies.</summary>
    public static ExpertKernels For(double tokens, double routed, double hidden, int experts, double localExperts, int expertParallel)
    {
        var scores = tokens * experts * ScoreBytes;
        var map = tokens * experts * MapBytes;
        var rows = routed * hidden * TransformerModel.ElementBytes;
        var merged = tokens * hidden * TransformerModel.ElementBytes;
        var sorted = expertParallel > 1 && localExperts > 1;

        var forward = new List<double>
        {
            scores + scores + map, // fused top-k and softmax
            scores, map, scores,   // auxiliary loss: fused scores, tokens per expert, the loss
            map,                   // tokens per expert from the routing map
        };
        if (expertParallel > 1 || localExperts > 1)
            forward.AddRange(Enumerable.Repeat(CountBytes * experts, expertParallel > 1 ? SplitSizeLaunches : 1));
        forward.AddRange([map, map, map]);                // row-id map of the fused permutation
        forward.Add(merged + rows + routed * ScoreBytes); // permute (reads each token once per copy from cache)
        if (sorted) forward.AddRange([CountBytes * experts, 2 * rows, CountBytes * experts, 2 * rows]); // sort, sort back
        forward.Add(rows + merged);                       // unpermute: merge the k copies

        var backward = new List<double> { merged + rows };  // unpermute backward: spread the gradient to the copies
        if (sorted) backward.AddRange([2 * rows, 2 * rows]);
        backward.Add(rows + merged + routed * ScoreBytes);  // permute backward: merge the copies' gradients
        backward.Add(3 * scores);                           // top-k and softmax backward
        backward.AddRange([scores, scores]);                // auxiliary loss backward
        return new ExpertKernels(forward, backward);
    }
}
