namespace Orchestrator.Kernels.Moe;

/// <summary>
/// What one forward pass of an MoE layer routed and computed on this rank.
/// </summary>
/// <param name="AssignmentsPerExpert">Token assignments this rank dispatched to each expert (global index), before dropping.</param>
/// <param name="Assignments">Token-expert assignments made: tokens * k.</param>
/// <param name="DroppedAssignments">Assignments the capacity rule dropped (always 0 for dropless).</param>
/// <param name="DroppedTokens">Tokens all of whose assignments were dropped: they leave the layer as zeros (residual only).</param>
/// <param name="ComputedRows">Rows the expert products ran over on this rank, padding included.</param>
/// <param name="PaddingRows">Of <paramref name="ComputedRows"/>, the rows that carried no token (zero padding).</param>
public sealed record MoeDispatchStatistics(
    IReadOnlyList<long> AssignmentsPerExpert,
    long Assignments,
    long DroppedAssignments,
    long DroppedTokens,
    long ComputedRows,
    long PaddingRows)
{
    /// <summary>Share of assignments dropped, in [0, 1].</summary>
    public double DroppedAssignmentFraction => Assignments == 0 ? 0 : (double)DroppedAssignments / Assignments;

    /// <summary>Forward FLOPs of the expert products spent on padding rows: 2 matmuls of 2*hidden*ffn each per row.</summary>
    public double PaddingFlops(int hiddenSize, int ffnHiddenSize) => PaddingRows * 4.0 * hiddenSize * ffnHiddenSize;

    /// <summary>Forward FLOPs of the expert products over all computed rows.</summary>
    public double ComputedFlops(int hiddenSize, int ffnHiddenSize) => ComputedRows * 4.0 * hiddenSize * ffnHiddenSize;
}
