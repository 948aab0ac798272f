namespace Orchestrator.Kernels.Moe;

/// <summary>How the dropless layer multiplies each expert's (block-padded) token group by that expert's weights.</summary>
public enum GroupedProductStrategy
{
    /// <summary>
    /// One matmul per non-empty expert over its contiguous group, the CPU form of MegaBlocks' grouped GEMM: work is
    /// proportional to the block-padded token count, whatever the skew.
    /// </summary>
    PerExpertGroups,

    /// <summary>
    /// One batched matmul over groups all padded to the largest one: fewer kernel launches, but skewed routing
    /// pays for the largest group on every expert.
    /// </summary>
    BatchedPaddedGroups,
}
