using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Parallel;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Regions = Orchestrator.Kernels.Parallel.TensorParallelRegions;

namespace Orchestrator.Kernels.Model;

/// <summary>
/// One virtual pipeline stage on one rank: a contiguous range of blocks, plus the vocabulary-parallel embedding on the
/// first virtual stage and the final norm, tied output head and vocabulary-parallel loss on the last. Its parameters are
/// this rank's tensor-parallel shards, named as in the full model. Gradients flow by autograd: a pipeline executor
/// calls <c>backward</c> on the loss (last stage) or on the output with the gradient received from the next stage.
/// </summary>
public sealed class GptChunk : nn.Module
{
    private const long SequenceDimension = 1;
    private readonly GptConfig config;
    private readonly ICommunicator tensorGroup;
    private readonly GptPartitionOptions options;
    private readonly Dictionary<string, Parameter> named;
    private readonly Dictionary<string, DroplessMoeLayer> moeLayers;

    internal GptChunk(
        GptConfig config,
        ProcessGroups groups,
        GptPartitionOptions options,
        int virtualStage,
        int virtualStages,
        (int First, int Count) layers,
        IEnumerable<(string Name, Parameter Value)> parameters)
        : base($"chunk{virtualStage}")
    {
        this.config = config;
        this.options = options;
        tensorGroup = groups.Tensor;
        VirtualStage = virtualStage;
        FirstLayer = layers.First;
        LayerCount = layers.Count;
        HasEmbedding = virtualStage == 0;
        HasHead = virtualStage == virtualStages - 1;
        named = ParameterTree.Register(this, parameters);
        moeLayers = GptMoeLayers.Build(config, named, groups);
    }

    /// <summary>Position of this chunk in the model: 0 .. stages x chunks - 1.</summary>
    public int VirtualStage { get; }

    /// <summary>First block of the full model this chunk holds.</summary>
    public int FirstLayer { get; }

    /// <summary>Blocks this chunk holds.</summary>
    public int LayerCount { get; }

    /// <summary>True when the chunk starts with the embedding: its input is tokens [batch, sequence] (int64).</summary>
    public bool HasEmbedding { get; }

    /// <summary>True when the chunk ends with the head and loss: <see cref="Forward"/> returns the mean loss.</summary>
    public bool HasHead { get; }

    /// <summary>
    /// Runs the chunk. Input: tokens [batch, sequence] on the first virtual stage, otherwise the previous stage's output
    /// [batch, sequence / t under sequence parallelism, hidden]. Output: the loss (a scalar, mean over tokens) on the last
    /// virtual stage, which needs <paramref name="targets"/> [batch, sequence]; otherwise activations for the next stage.
    /// </summary>
    public Tensor Forward(Tensor input, Tensor? targets = null)
    {
        if (HasHead && targets is null)
        {
            throw new ArgumentNullException(nameof(targets), $"Chunk {VirtualStage} ends with the loss and needs targets.");
        }

        var hidden = HasEmbedding ? Embed(input) : input;
        for (var layer = FirstLayer; layer < FirstLayer + LayerCount; layer++)
        {
            var prefix = GptParameterNames.Layer(layer);
            hidden = options.Recomputation == RecomputationMode.Full
                ? LayerRecomputeFunction.Apply(hidden, h => Block(h, prefix))
                : Block(hidden, prefix);
        }

        return HasHead ? Loss(hidden, targets!) : hidden;
    }

    private Tensor Embed(Tensor tokens)
    {
        if (tokens.dim() != 2 || tokens.shape[1] < 1 || tokens.shape[1] > config.SequenceLength)
        {
            throw new ArgumentException(
                $"tokens must be [batch, sequence] with 1 <= sequence <= {config.SequenceLength}, got [{string.Join(", ", tokens.shape)}].",
                nameof(tokens));
        }

        // Vocabulary-parallel lookup: ids outside this rank's slice contribute zeros, the sum over ranks is the embedding.
        var word = named[GptParameterNames.WordEmbedding];
        var start = word.shape[0] * tensorGroup.Rank;
        using var outside = tokens.lt(start).logical_or_(tokens.ge(start + word.shape[0]));
        using var local = (tokens - start).masked_fill_(outside, 0);
        using var rows = word.index_select(0, local.reshape(-1)).view(tokens.shape[0], tokens.shape[1], config.Hidden);
        using var partial = rows.masked_fill(outside.unsqueeze(-1), 0);
        var sequence = tokens.shape[1];
        var positions = named[GptParameterNames.PositionEmbedding].narrow(0, 0, sequence);
        if (options.SequenceParallel)
        {
            var part = sequence / tensorGroup.Size;
            using var words = Regions.ReduceScatterToSequence(partial, tensorGroup, SequenceDimension);
            return words + positions.narrow(0, tensorGroup.Rank * part, part);
        }

        using var summed = Regions.ReduceFrom(partial, tensorGroup);
        return summed + positions;
    }

    private Tensor Block(Tensor hidden, string prefix)
    {
        var localHeads = config.Heads / tensorGroup.Size;
        using var normed = Norm(hidden, prefix + "input_norm.");
        using var fused = ColumnParallel(normed, prefix + "attention.query_key_value.");
        var (query, key, value) = AttentionCore.SplitHeads(fused, localHeads, config.HeadSize);
        using var context = options.Recomputation == RecomputationMode.Selective
            ? AttentionRecomputeFunction.Apply(query, key, value)
            : AttentionCore.Compute(query, key, value);
        using var merged = AttentionCore.MergeHeads(context);
        using var attention = RowParallel(merged, prefix + "attention.output.");
        var afterAttention = hidden + attention;
        using var normed2 = Norm(afterAttention, prefix + "post_attention_norm.");
        using var down = moeLayers.TryGetValue(prefix, out var moe) ? Moe(moe, normed2) : Mlp(normed2, prefix);
        return afterAttention + down;
    }

    /// <summary>
    /// An MoE block sees whole sequences, as the router's load-balancing and z-losses are defined over them: under
    /// sequence parallelism the shards are gathered first (backward: each rank keeps its shard's gradient, as the
    /// layer's input gradient is already whole on every tensor rank) and the output split back (backward: gathered).
    /// Inside, the tensor ranks route the same tokens identically and each dispatches its share, as without sequence
    /// parallelism.
    /// </summary>
    private Tensor Moe(DroplessMoeLayer moe, Tensor input)
    {
        if (!options.SequenceParallel)
        {
            return moe.ForwardWithAuxiliaryLoss(input);
        }

        using var whole = Regions.GatherFrom(input, tensorGroup, SequenceDimension);
        using var output = moe.ForwardWithAuxiliaryLoss(whole);
        return Regions.ScatterTo(output, tensorGroup, SequenceDimension);
    }

    private Tensor Mlp(Tensor input, string prefix)
    {
        using var up = ColumnParallel(input, prefix + "mlp.up.");
        using var activated = F.gelu(up);
        return RowParallel(activated, prefix + "mlp.down.");
    }

    private Tensor Loss(Tensor hidden, Tensor targets)
    {
        var sequence = hidden.shape[1] * (options.SequenceParallel ? tensorGroup.Size : 1);
        if (targets.dim() != 2 || targets.shape[0] != hidden.shape[0] || targets.shape[1] != sequence)
        {
            throw new ArgumentException(
                $"targets must be [batch, sequence] = [{hidden.shape[0]}, {sequence}], got [{string.Join(", ", targets.shape)}].",
                nameof(targets));
        }

        using var normed = Norm(hidden, "final_norm.");
        using var input = options.SequenceParallel
            ? Regions.GatherFromSequence(normed, tensorGroup, SequenceDimension)
            : Regions.CopyTo(normed, tensorGroup);
        var word = named[GptParameterNames.WordEmbedding];
        using var logits = F.linear(input, word);
        using var flat = logits.view(-1, word.shape[0]);
        using var perToken = VocabularyParallelCrossEntropy.Apply(flat, targets.reshape(-1), tensorGroup, word.shape[0] * tensorGroup.Rank);
        return perToken.mean();
    }

    private Tensor ColumnParallel(Tensor input, string prefix)
    {
        using var entered = options.SequenceParallel
            ? Regions.GatherFromSequence(input, tensorGroup, SequenceDimension)
            : Regions.CopyTo(input, tensorGroup);
        return F.linear(entered, named[prefix + "weight"], named[prefix + "bias"]);
    }

    private Tensor RowParallel(Tensor input, string prefix)
    {
        using var partial = F.linear(input, named[prefix + "weight"]);
        using var reduced = options.SequenceParallel
            ? Regions.ReduceScatterToSequence(partial, tensorGroup, SequenceDimension)
            : Regions.ReduceFrom(partial, tensorGroup);
        return reduced + named[prefix + "bias"];
    }

    private Tensor Norm(Tensor input, string prefix) =>
        F.layer_norm(input, [config.Hidden], named[prefix + "weight"], named[prefix + "bias"], config.LayerNormEpsilon);
}
