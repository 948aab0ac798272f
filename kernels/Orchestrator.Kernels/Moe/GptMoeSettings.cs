namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Where and how a GPT uses Mixture-of-Experts: every <paramref name="Every"/>-th block (layers Every-1, 2·Every-1, ...,
/// as GShard and Switch alternate dense and expert layers) replaces its MLP by a dropless MoE layer of
/// <paramref name="ExpertCount"/> experts of the model's FFN width.
/// </summary>
/// <param name="ExpertCount">Experts per MoE layer.</param>
/// <param name="TopK">Experts per token: 1 or 2.</param>
/// <param name="Every">1 makes every block an MoE block, 2 every other one, and so on.</param>
/// <param name="BlockSize">Row tile of the grouped products (see <see cref="MoeOptions.BlockSize"/>).</param>
/// <param name="AuxiliaryLossCoefficient">Weight of the load-balancing loss.</param>
/// <param name="ZLossCoefficient">Weight of the router z-loss.</param>
public sealed record GptMoeSettings(
    int ExpertCount,
    int TopK,
    int Every = 1,
    int BlockSize = MoeOptions.DefaultBlockSize,
    double AuxiliaryLossCoefficient = 0.01,
    double ZLossCoefficient = 0.0)
{
    /// <summary>Suffix (after "layers.N.") of the router weight [hidden, experts].</summary>
    public const string RouterWeight = "moe.router.weight";

    /// <summary>Suffix of the experts' first weights [experts, hidden, ffn].</summary>
    public const string ExpertInputWeight = "moe.experts.input";

    /// <summary>Suffix of the experts' second weights [experts, ffn, hidden].</summary>
    public const string ExpertOutputWeight = "moe.experts.output";

    /// <summary>True when block <paramref name="layer"/> (0-based) is an MoE block.</summary>
    public bool IsMoeLayer(int layer) => layer % Every == Every - 1;

    /// <summary>True for a router's weight.</summary>
    public static bool IsRouterParameter(string name) => name.EndsWith(RouterWeight, StringComparison.Ordinal);

    /// <summary>True for the expert weights (sharded over the expert-parallel group), false for the router and others.</summary>
    public static bool IsExpertParameter(string name) =>
        name.EndsWith(ExpertInputWeight, StringComparison.Ordinal) || name.EndsWith(ExpertOutputWeight, StringComparison.Ordinal);

    /// <summary>The MoE block's parameters with their full shapes.</summary>
    public IReadOnlyList<(string Suffix, long[] Shape)> Parameters(int hiddenSize, int ffnHiddenSize) =>
    [
        (RouterWeight, [hiddenSize, ExpertCount]),
        (ExpertInputWeight, [ExpertCount, hiddenSize, ffnHiddenSize]),
        (ExpertOutputWeight, [ExpertCount, ffnHiddenSize, hiddenSize]),
    ];

    /// <summary>The layer options for a model of this width on an expert-parallel group of <paramref name="expertParallelSize"/>.</summary>
    public MoeOptions ToOptions(int hiddenSize, int ffnHiddenSize, int expertParallelSize = 1) =>
        new(hiddenSize, ffnHiddenSize, ExpertCount, TopK, BlockSize, AuxiliaryLossCoefficient, ZLossCoefficient, null, expertParallelSize);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range for this model.</summary>
    public GptMoeSettings Validate(int hiddenSize, int ffnHiddenSize, int layers)
    {
        if (Every < 1 || Every > layers)
        {
            throw new ArgumentException($"MoE setting {nameof(Every)} must be between 1 and the layer count ({layers}), got {Every}.", nameof(Every));
        }

        ToOptions(hiddenSize, ffnHiddenSize).Validate();
        return this;
    }
}
