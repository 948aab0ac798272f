using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Kernels.Model;

/// <summary>
/// The single-device GPT: word and position embeddings, pre-LN blocks (causal multi-head attention, GELU MLP), a final
/// layer norm and an output head tied to the word embedding. It is also the reference every parallel layout must equal.
/// Parameters carry the canonical names of <see cref="GptParameterNames"/>; no dropout, so runs are deterministic.
/// </summary>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    private readonly GptConfig config;
    private readonly Dictionary<string, Parameter> named;
    private readonly Dictionary<string, DroplessMoeLayer> moeLayers;

    /// <summary>Builds the model with every parameter drawn from <paramref name="seed"/> (see <see cref="GptParameterNames"/>).</summary>
    /// <param name="config">Model shape; validated before anything is allocated.</param>
    /// <param name="seed">Initialisation seed; the same seed gives the same weights as any parallel layout's shards.</param>
    /// <param name="device">Where the parameters live; CPU when null.</param>
    public Gpt(GptConfig config, long seed, Device? device = null)
        : base(ValidateAndLoad(config))
    {
        this.config = config;
        var initializer = new ParameterInitializer(config, seed);
        var target = device ?? CPU;
        named = ParameterTree.Register(
            this,
            GptParameterNames.All(config).Select(p => (p.Name, initializer.Initial(p.Name, p.Shape).to(target))));
        moeLayers = GptMoeLayers.Build(config, named);
    }

    /// <summary>Runs before the base constructor, which already calls into the native library.</summary>
    private static string ValidateAndLoad(GptConfig config)
    {
        config.Validate();
        TorchRuntime.EnsureLoaded();
        return nameof(Gpt);
    }

    /// <summary>The model's shape.</summary>
    public GptConfig Config => config;

    /// <summary>Logits [batch, sequence, vocabulary] for tokens [batch, sequence] (int64).</summary>
    public override Tensor forward(Tensor tokens) => Run(tokens, cache: null);

    /// <summary>
    /// Logits [batch, sequence, vocabulary] for <paramref name="tokens"/> that continue the sequence whose keys and
    /// values <paramref name="cache"/> holds; their keys and values are appended to it. Equal to <see cref="forward"/>
    /// over the whole sequence, at the cost of the new tokens only (incremental decoding).
    /// </summary>
    public Tensor Forward(Tensor tokens, GptKeyValueCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return Run(tokens, cache);
    }

    private Tensor Run(Tensor tokens, GptKeyValueCache? cache)
    {
        var hidden = Embed(tokens, cache?.Length ?? 0);
        for (var layer = 0; layer < config.Layers; layer++)
        {
            hidden = Block(hidden, layer, cache);
        }

        var normed = Norm(hidden, "final_norm.");
        return F.linear(normed, named[GptParameterNames.WordEmbedding]);
    }

    /// <summary>Mean next-token cross-entropy of <paramref name="targets"/> [batch, sequence] given <paramref name="tokens"/>.</summary>
    public Tensor Loss(Tensor tokens, Tensor targets)
    {
        if (!targets.shape.SequenceEqual(tokens.shape))
        {
            throw new ArgumentException(
                $"targets must have the shape of tokens [{string.Join(", ", tokens.shape)}], got [{string.Join(", ", targets.shape)}].",
                nameof(targets));
        }

        using var logits = forward(tokens);
        return F.cross_entropy(logits.view(-1, config.Vocabulary), targets.view(-1));
    }

    /// <summary>The parameter with canonical name <paramref name="name"/>.</summary>
    public Parameter Parameter(string name) => named.TryGetValue(name, out var p)
        ? p
        : throw new KeyNotFoundException($"The model has no parameter named '{name}'.");

    private Tensor Embed(Tensor tokens, long start)
    {
        if (tokens.dim() != 2 || start + tokens.shape[1] > config.SequenceLength || tokens.shape[1] < 1)
        {
            throw new ArgumentException(
                $"tokens must be [batch, sequence] with 1 <= sequence <= {config.SequenceLength - start}" +
                $"{(start > 0 ? $" ({start} cached)" : "")}, got [{string.Join(", ", tokens.shape)}].",
                nameof(tokens));
        }

        using var flat = tokens.reshape(-1);
        using var rows = named[GptParameterNames.WordEmbedding].index_select(0, flat);
        using var words = rows.view(tokens.shape[0], tokens.shape[1], config.Hidden);
        using var positions = named[GptParameterNames.PositionEmbedding].narrow(0, start, tokens.shape[1]);
        return words + positions;
    }

    private Tensor Block(Tensor hidden, int layer, GptKeyValueCache? cache)
    {
        var prefix = GptParameterNames.Layer(layer);
        using var normed = Norm(hidden, prefix + "input_norm.");
        using var fused = Linear(normed, prefix + "attention.query_key_value.");
        var (query, key, value) = AttentionCore.SplitHeads(fused, config.Heads, config.HeadSize);
        if (cache is not null)
        {
            (key, value) = cache.Append(layer, key, value);
        }

        using var context = AttentionCore.Compute(query, key, value);
        using var merged = AttentionCore.MergeHeads(context);
        using var attention = Linear(merged, prefix + "attention.output.");
        var afterAttention = hidden + attention;
        using var normed2 = Norm(afterAttention, prefix + "post_attention_norm.");
        using var down = moeLayers.TryGetValue(prefix, out var moe) ? moe.ForwardWithAuxiliaryLoss(normed2) : Mlp(normed2, prefix);
        return afterAttention + down;
    }

    private Tensor Mlp(Tensor input, string prefix)
    {
        using var up = Linear(input, prefix + "mlp.up.");
        using var activated = F.gelu(up);
        return Linear(activated, prefix + "mlp.down.");
    }

    private Tensor Norm(Tensor input, string prefix) =>
        F.layer_norm(input, [config.Hidden], named[prefix + "weight"], named[prefix + "bias"], config.LayerNormEpsilon);

    private Tensor Linear(Tensor input, string prefix) =>
        F.linear(input, named[prefix + "weight"], named[prefix + "bias"]);
}
