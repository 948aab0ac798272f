using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Pipeline;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Model;

/// <summary>
/// Everything one rank holds of the GPT for its place in the grid: one <see cref="GptChunk"/> per virtual stage of its
/// pipeline rank, each with this rank's tensor-parallel shards. Parameters are drawn from the full model's seeded
/// streams and then sliced, so the same seed gives the same full model whatever the layout. The word embedding is
/// tied: shared outright when the first and last virtual stage are on this rank, otherwise the last stage holds an
/// identical copy whose gradient the optimizer sums with the first stage's over the embedding group.
/// </summary>
public sealed class GptPartition : IPipelineStageReplica, IDisposable
{
    private readonly List<GptChunk> chunks = [];
    private readonly List<PartitionParameter> parameters = [];
    private readonly List<Parameter> values = [];

    /// <summary>Builds this rank's chunks; the layout is checked against the model before any tensor is allocated.</summary>
    /// <param name="config">The full model's shape.</param>
    /// <param name="groups">This rank's process groups (the grid and its position in it).</param>
    /// <param name="options">Virtual stages, sequence parallelism, recomputation.</param>
    /// <param name="seed">Initialisation seed, the same for every rank.</param>
    /// <param name="device">Where this rank's parameters live; CPU when null.</param>
    /// <exception cref="ArgumentException">The layout does not divide the model (see <see cref="GptPartitioning.Validate"/>).</exception>
    public GptPartition(GptConfig config, ProcessGroups groups, GptPartitionOptions options, long seed, Device? device = null)
    {
        GptPartitioning.Validate(config, groups.Grid, options);
        TorchRuntime.EnsureLoaded();
        Config = config;
        Groups = groups;
        Options = options;
        var grid = groups.Grid;
        var coordinates = groups.Coordinates;
        var virtualStages = grid.PipelineParallelSize * options.VirtualStages;
        var initializer = new ParameterInitializer(config, seed);
        var target = device ?? CPU;
        var fullShapes = GptParameterNames.All(config).ToDictionary(p => p.Name, p => p.Shape);
        Parameter? sharedWord = null;

        for (var chunk = 0; chunk < options.VirtualStages; chunk++)
        {
            var virtualStage = GptPartitioning.VirtualStageOf(coordinates.Pipeline, chunk, grid);
            var layers = GptPartitioning.LayersOf(virtualStage, config, grid, options);
            var chunkParameters = new List<(string Name, Parameter Value)>();
            foreach (var name in NamesOf(virtualStage, virtualStages, layers))
            {
                var isTiedCopy = false;
                Parameter value;
                if (name == GptParameterNames.WordEmbedding && sharedWord is not null)
                {
                    value = sharedWord;
                }
                else
                {
                    var dimension = GptPartitioning.ShardDimension(name);
                    using var full = initializer.Initial(name, fullShapes[name]);
                    var isExpert = GptMoeSettings.IsExpertParameter(name);
                    using var shard = isExpert
                        ? full.chunk(grid.ExpertParallelSize, 0)[groups.Expert.Rank].contiguous()
                        : dimension < 0
                        ? full.clone()
                        : full.chunk(grid.TensorParallelSize, dimension)[coordinates.Tensor].contiguous();
                    value = new Parameter(shard.to(target), requires_grad: true);
                    isTiedCopy = name == GptParameterNames.WordEmbedding && virtualStage != 0;
                    sharedWord = name == GptParameterNames.WordEmbedding ? value : sharedWord;
                    parameters.Add(new PartitionParameter(
                        name,
                        value,
                        fullShapes[name],
                        dimension,
                        // Tensor ranks split an MoE layer's tokens between them, so each sees part of its experts' gradient;
                        // under sequence parallelism each sees part of the replicated weights' gradient, except the
                        // router's, which routes whole sequences identically on every tensor rank (GptChunk.Moe).
                        SumGradientOverTensorGroup: ((options.SequenceParallel && !GptMoeSettings.IsRouterParameter(name)) || isExpert) && dimension < 0 && grid.TensorParallelSize > 1,
                        IsTiedCopy: isTiedCopy,
                        IsExpert: isExpert));
                    values.Add(value);
                }

                chunkParameters.Add((name, value));
            }

            chunks.Add(new GptChunk(config, groups, options, virtualStage, virtualStages, layers, chunkParameters));
        }
    }

    /// <summary>The full model's shape.</summary>
    public GptConfig Config { get; }

    /// <summary>This rank's groups.</summary>
    public ProcessGroups Groups { get; }

    /// <summary>How the partition was built.</summary>
    public GptPartitionOptions Options { get; }

    /// <summary>This rank's chunks in model order (chunk c is virtual stage c·p + pipeline rank).</summary>
    public IReadOnlyList<GptChunk> Chunks => chunks;

    /// <summary>Every parameter this rank holds, each once (a word embedding shared by two local chunks appears once).</summary>
    public IReadOnlyList<PartitionParameter> Parameters => parameters;

    /// <inheritdoc />
    IReadOnlyList<Parameter> IPipelineStageReplica.Parameters => values;

    /// <summary>Runs local chunk <paramref name="chunk"/> (see <see cref="GptChunk.Forward"/>); what a pipeline executor calls.</summary>
    public Tensor Forward(int chunk, Tensor input, Tensor? targets)
    {
        if (chunk < 0 || chunk >= chunks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"this rank holds chunks 0..{chunks.Count - 1}.");
        }

        return chunks[chunk].Forward(input, targets);
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGradients()
    {
        foreach (var p in parameters)
        {
            using var grad = p.Value.grad;
            grad?.zero_();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        chunks.ForEach(c => c.Dispose());
    }

    private IEnumerable<string> NamesOf(int virtualStage, int virtualStages, (int First, int Count) layers)
    {
        if (virtualStage == 0)
        {
            yield return GptParameterNames.WordEmbedding;
            yield return GptParameterNames.PositionEmbedding;
        }

        for (var layer = layers.First; layer < layers.First + layers.Count; layer++)
        {
            foreach (var (suffix, _) in GptParameterNames.BlockParameters(Config, layer))
            {
                yield return GptParameterNames.Layer(layer) + suffix;
            }
        }

        if (virtualStage == virtualStages - 1)
        {
            yield return GptParameterNames.FinalNormWeight;
            yield return GptParameterNames.FinalNormBias;
            if (virtualStage != 0)
            {
                yield return GptParameterNames.WordEmbedding;
            }
        }
    }
}
