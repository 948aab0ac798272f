using Orchestrator.Kernels.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>A rank's <see cref="GptPartition"/> as the executor sees it: chunk c is the partition's chunk c.</summary>
public sealed class GptPartitionReplica : IPipelineStageReplica
{
    private readonly GptPartition _partition;

    /// <param name="partition">The rank's chunks.</param>
    public GptPartitionReplica(GptPartition partition)
    {
        _partition = partition ?? throw new ArgumentNullException(nameof(partition));
        Parameters = partition.Parameters.Select(p => p.Value).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc />
    public Tensor Forward(int chunk, Tensor input, Tensor? targets) => _partition.Chunks[chunk].Forward(input, targets);
}
