namespace Orchestrator.Kernels.Model;

/// <summary>
/// Canonical names of the full model's parameters; the same names are used by every layout, so checkpoints and
/// equality tests can match a rank's shard to the full tensor.
/// </summary>
public static class GptParameterNames
{
    /// <summary>Word embedding [vocabulary, hidden], also the output head (tied).</summary>
    public const string WordEmbedding = "embedding.word";

    /// <summary>Position embedding [sequence, hidden].</summary>
    public const string PositionEmbedding = "embedding.position";

    /// <summary>Final layer norm scale [hidden].</summary>
    public const string FinalNormWeight = "final_norm.weight";

    /// <summary>Final layer norm shift [hidden].</summary>
    public const string FinalNormBias = "final_norm.bias";

    /// <summary>Prefix of block <paramref name="layer"/>'s parameters, e.g. "layers.3.".</summary>
    public static string Layer(int layer) => $"layers.{layer}.";

    /// <summary>Every parameter of the full model for <paramref name="config"/>, in forward order, with its full shape.</summary>
    public static IEnumerable<(string Name, long[] Shape)> All(GptConfig config)
    {
        yield return (WordEmbedding, [config.Vocabulary, config.Hidden]);
        yield return (PositionEmbedding, [config.SequenceLength, config.Hidden]);
        for (var layer = 0; layer < config.Layers; layer++)
        {
            foreach (var (suffix, shape) in BlockParameters(config, layer))
            {
                yield return (Layer(layer) + suffix, shape);
            }
        }

        yield return (FinalNormWeight, [config.Hidden]);
        yield return (FinalNormBias, [config.Hidden]);
    }

    /// <summary>Block <paramref name="layer"/>'s parameters: an MoE block has a router and experts instead of the MLP.</summary>
    public static IReadOnlyList<(string Suffix, long[] Shape)> BlockParameters(GptConfig config, int layer) =>
        config.Moe is { } moe && moe.IsMoeLayer(layer)
            ? [.. BlockParameters(config).Where(p => !p.Suffix.StartsWith("mlp.", StringComparison.Ordinal)), .. moe.Parameters(config.Hidden, config.FeedForwardSize)]
            : BlockParameters(config);

    /// <summary>The suffixes of one dense block's parameters, with their full shapes for <paramref name="config"/>.</summary>
    public static IReadOnlyList<(string Suffix, long[] Shape)> BlockParameters(GptConfig config)
    {
        long h = config.Hidden, f = config.FeedForwardSize;
        return
        [
            ("input_norm.weight", [h]),
            ("input_norm.bias", [h]),
            ("attention.query_key_value.weight", [3 * h, h]),
            ("attention.query_key_value.bias", [3 * h]),
            ("attention.output.weight", [h, h]),
            ("attention.output.bias", [h]),
            ("post_attention_norm.weight", [h]),
            ("post_attention_norm.bias", [h]),
            ("mlp.up.weight", [f, h]),
            ("mlp.up.bias", [f]),
            ("mlp.down.weight", [h, f]),
            ("mlp.down.bias", [h]),
        ];
    }
}
