namespace Orchestrator.Planning.Model;

/// <summary>The Mixture-of-Experts part of a model: which layers route tokens to experts and how.</summary>
/// <param name="Experts">Experts in each MoE layer.</param>
/// <param name="TopK">Experts each token is sent to.</param>
/// <param name="Every">Every how many layers the feed-forward block is an MoE block (1 = every layer, 2 = every other layer).</param>
/// <param name="CapacityFactor">Tokens each expert accepts, as a multiple of its fair share; null for dropless routing (MegaBlocks).</param>
/// <param name="ExpertFfnHidden">Hidden size of one expert's feed-forward block; null for the model's FFN size.</param>
/// <param name="BlockSize">Dropless routing pads every expert's token count up to a multiple of this block (MegaBlocks uses 128).</param>
public sealed record MoeDescription(
    int Experts,
    int TopK,
    int Every = 1,
    double? CapacityFactor = null,
    int? ExpertFfnHidden = null,
    int BlockSize = 128)
{
    /// <summary>Checks the description.</summary>
    /// <returns>An error naming the offending field, or null when the description is usable.</returns>
    public string? Validate()
    {
        if (Experts < 1) return $"model.moe.experts must be at least 1, got {Experts}";
        if (TopK < 1 || TopK > Experts) return $"model.moe.topK must be between 1 and model.moe.experts ({Experts}), got {TopK}";
        if (Every < 1) return $"model.moe.every must be at least 1, got {Every}";
        if (CapacityFactor is { } factor && (factor <= 0 || double.IsNaN(factor) || double.IsInfinity(factor)))
            return $"model.moe.capacityFactor must be a positive number or absent (dropless), got {factor}";
        if (ExpertFfnHidden is < 1) return $"model.moe.ffn must be at least 1, got {ExpertFfnHidden}";
        if (BlockSize < 1) return $"model.moe.blockSize must be at least 1, got {BlockSize}";
        return null;
    }

    /// <summary>Number of MoE layers among <paramref name="layers"/> (Megatron places them at layers Every−1, 2·Every−1, ...).</summary>
    public int MoeLayerCount(int layers) => layers / Every;
}
