namespace Orchestrator.Kernels.Pipeline;

/// <summary>One step of a pipeline rank's ordered program.</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="MicroBatch">
/// The micro-batch it concerns, counted from 0 over the whole schedule (for PipeDream-2BW, batch·m + j); -1 for
/// optimizer steps and weight-version switches.
/// </param>
/// <param name="Chunk">The rank's local model chunk (0..v-1); its virtual stage is <c>Chunk·p + rank</c>.</param>
/// <param name="PeerStage">The pipeline rank on the other end of a send or receive; -1 for other kinds.</param>
/// <param name="WeightVersion">
/// PipeDream-2BW: the weight version a forward or backward uses, the version an optimizer step creates, or the version
/// a switch makes current. Always 0 for the flushing schedules.
/// </param>
public sealed record PipelineOperation(PipelineOperationKind Kind, int MicroBatch, int Chunk, int PeerStage = -1, int WeightVersion = 0)
{
    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        PipelineOperationKind.OptimizerStep => $"Step(v{WeightVersion})",
        PipelineOperationKind.WeightVersionSwitch => $"Switch(v{WeightVersion})",
        PipelineOperationKind.Forward or PipelineOperationKind.Backward => $"{Kind}(mb{MicroBatch},c{Chunk},v{WeightVersion})",
        _ => $"{Kind}(mb{MicroBatch},c{Chunk},peer{PeerStage})",
    };
}
