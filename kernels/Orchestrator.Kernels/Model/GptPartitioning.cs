using Orchestrator.Kernels.Communication;

namespace Orchestrator.Kernels.Model;

/// <summary>
/// Which layers each (pipeline rank, chunk) holds, how each parameter is split over the tensor-parallel group, and the
/// checks that a layout fits a model, all without touching a tensor.
/// </summary>
public static class GptPartitioning
{
    /// <summary>
    /// Refuses a layout that does not divide the model: heads, vocabulary and MLP width by the tensor size, layers by
    /// stages x chunks, sequence by the tensor size under sequence parallelism.
    /// </summary>
    /// <exception cref="ArgumentException">Names the field that does not divide and what would.</exception>
    public static void Validate(GptConfig config, ParallelGrid grid, GptPartitionOptions options)
    {
        config.Validate();
        grid.Validate();
        int t = grid.TensorParallelSize, p = grid.PipelineParallelSize, v = options.VirtualStages;
        Require(v >= 1, nameof(options.VirtualStages), $"must be at least 1, got {v}");
        Require(
            config.Heads % t == 0,
            nameof(config.Heads),
            $"({config.Heads}) must be divisible by the tensor-parallel size ({t}): each tensor rank holds whole heads");
        Require(
            config.Vocabulary % t == 0,
            nameof(config.Vocabulary),
            $"({config.Vocabulary}) must be divisible by the tensor-parallel size ({t}): each tensor rank holds a vocabulary slice");
        Require(
            config.FeedForwardSize % t == 0,
            nameof(config.FeedForwardHidden),
            $"({config.FeedForwardSize}) must be divisible by the tensor-parallel size ({t})");
        Require(
            config.Layers % (p * v) == 0,
            nameof(config.Layers),
            $"({config.Layers}) must be divisible by pipeline stages x virtual stages ({p} x {v} = {p * v})");
        config.Moe?.ToOptions(config.Hidden, config.FeedForwardSize, grid.ExpertParallelSize).Validate();
        Require(
            !options.SequenceParallel || config.SequenceLength % t == 0,
            nameof(config.SequenceLength),
            $"({config.SequenceLength}) must be divisible by the tensor-parallel size ({t}) under sequence parallelism");
    }

    /// <summary>Layers per chunk: layers / (stages x chunks).</summary>
    public static int LayersPerChunk(GptConfig config, ParallelGrid grid, GptPartitionOptions options) =>
        config.Layers / (grid.PipelineParallelSize * options.VirtualStages);

    /// <summary>
    /// The virtual stage of chunk <paramref name="chunk"/> on pipeline rank <paramref name="pipelineRank"/>, in Megatron's
    /// interleaved order: chunk c of rank r is virtual stage c·p + r, so the model passes through every rank once per chunk round.
    /// </summary>
    public static int VirtualStageOf(int pipelineRank, int chunk, ParallelGrid grid) =>
        (chunk * grid.PipelineParallelSize) + pipelineRank;

    /// <summary>The first layer and the layer count of a virtual stage.</summary>
    public static (int First, int Count) LayersOf(int virtualStage, GptConfig config, ParallelGrid grid, GptPartitionOptions options)
    {
        var count = LayersPerChunk(config, grid, options);
        return (virtualStage * count, count);
    }

    /// <summary>
    /// The dimension along which parameter <paramref name="name"/> is split over the tensor-parallel group, or -1 when
    /// every tensor rank holds all of it: vocabulary rows of the embedding, output rows of column-parallel weights
    /// (query-key-value is head-major so rows split by heads), input columns of row-parallel weights.
    /// </summary>
    public static int ShardDimension(string name)
    {
        if (name == GptParameterNames.WordEmbedding
            || name.EndsWith("attention.query_key_value.weight", StringComparison.Ordinal)
            || name.EndsWith("attention.query_key_value.bias", StringComparison.Ordinal)
            || name.EndsWith("mlp.up.weight", StringComparison.Ordinal)
            || name.EndsWith("mlp.up.bias", StringComparison.Ordinal))
        {
            return 0;
        }

        if (name.EndsWith("attention.output.weight", StringComparison.Ordinal) || name.EndsWith("mlp.down.weight", StringComparison.Ordinal))
        {
            return 1;
        }

        return -1;
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"{field} {message}.", field);
        }
    }
}
