namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Shape and policy of one Mixture-of-Experts layer. <see cref="CapacityFactor"/> null means dropless (grouped
/// products over exact groups by default, or block-sparse over block-padded groups: <see cref="GroupedProductStrategy"/>);
/// a value selects the GShard/Switch capacity-factor baseline. Every rule is checked by
/// <see cref="Validate"/>, which the layers call at construction.
/// </summary>
/// <param name="HiddenSize">Model width: the expert's input and output size.</param>
/// <param name="FfnHiddenSize">Inner width of each expert's feed-forward network; a multiple of <paramref name="BlockSize"/>.</param>
/// <param name="ExpertCount">Experts in the layer, over the whole expert-parallel group.</param>
/// <param name="TopK">Experts each token is sent to: 1 (Switch) or 2 (GShard); at most <paramref name="ExpertCount"/>.</param>
/// <param name="BlockSize">Row tile of the block-sparse product: under <see cref="GroupedProductStrategy.BlockPaddedGroups"/> each expert's token group is padded up to a multiple of it (exact groups need no padding).</param>
/// <param name="AuxiliaryLossCoefficient">Weight of the load-balancing loss in <see cref="MoeOutput.RegularizationLoss"/>.</param>
/// <param name="ZLossCoefficient">Weight of the router z-loss in <see cref="MoeOutput.RegularizationLoss"/>; 0 turns it off.</param>
/// <param name="CapacityFactor">Null for dropless; otherwise capacity = ceil(factor * TopK * tokens / ExpertCount).</param>
/// <param name="ExpertParallelSize">Ranks the experts are sharded over; divides <paramref name="ExpertCount"/>.</param>
public sealed record MoeOptions(
    int HiddenSize,
    int FfnHiddenSize,
    int ExpertCount,
    int TopK,
    int BlockSize = 128,
    double AuxiliaryLossCoefficient = 0.01,
    double ZLossCoefficient = 0.0,
    double? CapacityFactor = null,
    int ExpertParallelSize = 1)
{
    /// <summary>The block size MegaBlocks uses on GPUs and the default here.</summary>
    public const int DefaultBlockSize = 128;

    /// <summary>Experts held by one rank of the expert-parallel group.</summary>
    public int LocalExpertCount => ExpertCount / ExpertParallelSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that breaks a rule and what is allowed.</summary>
    public MoeOptions Validate()
    {
        Require(HiddenSize > 0, nameof(HiddenSize), $"must be positive, got {HiddenSize}");
        Require(ExpertCount > 0, nameof(ExpertCount), $"must be positive, got {ExpertCount}");
        Require(TopK is 1 or 2, nameof(TopK), $"must be 1 or 2, got {TopK}");
        Require(TopK <= ExpertCount, nameof(TopK), $"is {TopK} but must not exceed {nameof(ExpertCount)} ({ExpertCount})");
        Require(BlockSize > 0, nameof(BlockSize), $"must be positive, got {BlockSize}");
        Require(FfnHiddenSize > 0 && FfnHiddenSize % BlockSize == 0, nameof(FfnHiddenSize),
            $"is {FfnHiddenSize} but must be a positive multiple of {nameof(BlockSize)} ({BlockSize})");
        Require(ExpertParallelSize > 0, nameof(ExpertParallelSize), $"must be positive, got {ExpertParallelSize}");
        Require(ExpertCount % ExpertParallelSize == 0, nameof(ExpertCount),
            $"is {ExpertCount} but must be divisible by {nameof(ExpertParallelSize)} ({ExpertParallelSize})");
        Require(AuxiliaryLossCoefficient >= 0 && double.IsFinite(AuxiliaryLossCoefficient), nameof(AuxiliaryLossCoefficient),
            $"must be a finite number >= 0, got {AuxiliaryLossCoefficient}");
        Require(ZLossCoefficient >= 0 && double.IsFinite(ZLossCoefficient), nameof(ZLossCoefficient),
            $"must be a finite number >= 0, got {ZLossCoefficient}");
        if (CapacityFactor is { } factor)
        {
            Require(factor > 0 && double.IsFinite(factor), nameof(CapacityFactor),
                $"must be a finite number > 0 (or null for dropless), got {factor}");
        }

        return this;
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"MoE option {field} {message}.", field);
        }
    }
}
