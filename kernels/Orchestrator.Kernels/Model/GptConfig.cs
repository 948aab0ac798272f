using Orchestrator.Kernels.Moe;

namespace Orchestrator.Kernels.Model;

/// <summary>Shape of a GPT-style decoder: learned positions, pre-LN blocks, output head tied to the word embedding.</summary>
/// <param name="Layers">Transformer blocks.</param>
/// <param name="Hidden">Model width.</param>
/// <param name="Heads">Attention heads; must divide <paramref name="Hidden"/>.</param>
/// <param name="Vocabulary">Token ids are in [0, Vocabulary).</param>
/// <param name="SequenceLength">Longest sequence (size of the position embedding).</param>
/// <param name="FeedForwardHidden">Width of the MLP's inner layer; 0 means 4 x <paramref name="Hidden"/>.</param>
/// <param name="LayerNormEpsilon">Added to the variance in every layer norm.</param>
/// <param name="InitStandardDeviation">Standard deviation of the normal initialisation of weight matrices.</param>
/// <param name="Moe">Null for a dense model; otherwise which blocks replace their MLP by a dropless MoE layer.</param>
public sealed record GptConfig(
    int Layers,
    int Hidden,
    int Heads,
    int Vocabulary,
    int SequenceLength,
    int FeedForwardHidden = 0,
    double LayerNormEpsilon = 1e-5,
    double InitStandardDeviation = 0.02,
    GptMoeSettings? Moe = null)
{
    /// <summary>The MLP's inner width after applying the default.</summary>
    public int FeedForwardSize => FeedForwardHidden == 0 ? 4 * Hidden : FeedForwardHidden;

    /// <summary>Width of one attention head.</summary>
    public int HeadSize => Hidden / Heads;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public GptConfig Validate()
    {
        Require(Layers >= 1, nameof(Layers), $"must be at least 1, got {Layers}");
        Require(Hidden >= 1, nameof(Hidden), $"must be at least 1, got {Hidden}");
        Require(Heads >= 1, nameof(Heads), $"must be at least 1, got {Heads}");
        Require(Hidden % Heads == 0, nameof(Heads), $"({Heads}) must divide {nameof(Hidden)} ({Hidden})");
        Require(Vocabulary >= 2, nameof(Vocabulary), $"must be at least 2, got {Vocabulary}");
        Require(SequenceLength >= 1, nameof(SequenceLength), $"must be at least 1, got {SequenceLength}");
        Require(FeedForwardHidden >= 0, nameof(FeedForwardHidden), $"must be positive, or 0 for 4 x Hidden; got {FeedForwardHidden}");
        Require(LayerNormEpsilon > 0, nameof(LayerNormEpsilon), $"must be positive, got {LayerNormEpsilon}");
        Require(InitStandardDeviation > 0, nameof(InitStandardDeviation), $"must be positive, got {InitStandardDeviation}");
        Moe?.Validate(Hidden, FeedForwardSize, Layers);
        return this;
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"GptConfig.{field} {message}.", field);
        }
    }
}
