namespace Orchestrator.Kernels.Training;

/// <summary>How gradients are combined across ranks and how optimizer state is kept.</summary>
/// <param name="BucketBytes">Gradients are all-reduced in flat buckets of about this many bytes (fewer, larger messages).</param>
/// <param name="ShardOptimizerState">ZeRO stage 1: each data-parallel rank keeps AdamW state for, and updates, only its slice of the parameters, then the slices are all-gathered.</param>
/// <param name="MaxGradientNorm">Clip gradients so their global norm over all ranks is at most this; no clipping when null.</param>
public sealed record DataParallelOptions(
    long BucketBytes = 25L * 1024 * 1024,
    bool ShardOptimizerState = false,
    double? MaxGradientNorm = 1.0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public DataParallelOptions Validate()
    {
        if (BucketBytes < 4)
        {
            throw new ArgumentException($"DataParallelOptions.BucketBytes must hold at least one float (4 bytes), got {BucketBytes}.", nameof(BucketBytes));
        }

        if (MaxGradientNorm is { } max && !(max > 0))
        {
            throw new ArgumentException($"DataParallelOptions.MaxGradientNorm must be positive or null, got {max}.", nameof(MaxGradientNorm));
        }

        return this;
    }
}
