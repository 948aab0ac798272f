using System.Text.Json.Serialization;

namespace Orchestrator.Checkpoints.Manifest;

/// <summary>
/// The parallel layout a checkpoint was saved under. Recorded so an operator can see it and a restore can tell
/// whether it reshards; the shard offsets, not this record, are what a restore reads from.
/// </summary>
/// <param name="TensorParallelSize">Ranks that split each layer's matrices.</param>
/// <param name="PipelineParallelSize">Pipeline stages.</param>
/// <param name="DataParallelSize">Data-parallel replicas.</param>
/// <param name="ExpertParallelSize">Ranks that split the experts of an MoE layer; 1 for dense models.</param>
/// <param name="VirtualStages">Model chunks per pipeline rank (interleaved schedules); 1 otherwise.</param>
public sealed record CheckpointLayout(
    int TensorParallelSize,
    int PipelineParallelSize,
    int DataParallelSize,
    int ExpertParallelSize = 1,
    int VirtualStages = 1)
{
    /// <summary>Ranks the layout occupies: tensor x pipeline x data.</summary>
    [JsonIgnore]
    public int WorldSize => TensorParallelSize * PipelineParallelSize * DataParallelSize;

    /// <summary>Throws when a size is not positive.</summary>
    /// <exception cref="ArgumentException">A size is below 1; the message names it.</exception>
    public void Validate()
    {
        Require(TensorParallelSize, nameof(TensorParallelSize));
        Require(PipelineParallelSize, nameof(PipelineParallelSize));
        Require(DataParallelSize, nameof(DataParallelSize));
        Require(ExpertParallelSize, nameof(ExpertParallelSize));
        Require(VirtualStages, nameof(VirtualStages));
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"t{TensorParallelSize}·p{PipelineParallelSize}·d{DataParallelSize}" +
        (ExpertParallelSize > 1 ? $"·e{ExpertParallelSize}" : "") + (VirtualStages > 1 ? $"·v{VirtualStages}" : "");

    private static void Require(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException($"layout.{name} must be at least 1, got {value}", name);
        }
    }
}
