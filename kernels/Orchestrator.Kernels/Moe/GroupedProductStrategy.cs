namespace Orchestrator.Kernels.Moe;

/// <summary>How the dropless layer lays out each expert's token group and multiplies it by that expert's weights.</summary>
public enum GroupedProductStrategy
{
    /// <summary>
    /// Each expert's group holds exactly its tokens, no padding, and one <see cref="GroupedMatmul"/> per weight runs
    /// every group into a single output buffer (the grouped-GEMM form of MegaBlocks' dMoE). A CPU matrix product has
    /// no row tile to fill, so this spends no FLOPs on padding; the default.
    /// </summary>
    ExactGroups,

    /// <summary>
    /// The block-sparse layout: each expert's group padded with zero rows up to a multiple of the block size (what a
    /// block-sparse kernel with row tiles of that size needs), then the same grouped product as
    /// <see cref="ExactGroups"/>; the padding rows cost FLOPs but carry nothing.
    /// </summary>
    BlockPaddedGroups,

    /// <summary>
    /// Block-padded groups further padded to the largest one so all experts run as one batched matmul: one call per
    /// weight, but skewed routing pays for the largest group on every expert.
    /// </summary>
    BatchedPaddedGroups,
}
