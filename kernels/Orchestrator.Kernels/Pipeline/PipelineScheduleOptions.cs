namespace Orchestrator.Kernels.Pipeline;

/// <summary>What a pipeline schedule is generated for.</summary>
/// <param name="Kind">Which schedule.</param>
/// <param name="Stages">Pipeline-parallel size p (ranks in the pipeline).</param>
/// <param name="MicroBatches">Micro-batches per batch (per optimizer step) m.</param>
/// <param name="VirtualStages">Model chunks per rank v; above 1 only for <see cref="PipelineScheduleKind.Interleaved"/>.</param>
/// <param name="Batches">
/// Batches covered by one schedule. The flushing schedules drain after every batch, so they cover exactly one;
/// PipeDream-2BW pipelines across batches, so its schedule covers all of them.
/// </param>
public sealed record PipelineScheduleOptions(PipelineScheduleKind Kind, int Stages, int MicroBatches, int VirtualStages = 1, int Batches = 1)
{
    /// <summary>Refuses sizes the schedule cannot run, naming the field, the value and what is allowed.</summary>
    /// <exception cref="ArgumentException">The options do not describe a runnable schedule.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentException($"schedule kind {(int)Kind} is unknown; allowed: {string.Join(", ", Enum.GetNames<PipelineScheduleKind>())}", nameof(Kind));
        if (Stages < 1)
            throw new ArgumentException($"pipeline stages must be at least 1, got {Stages}", nameof(Stages));
        if (MicroBatches < 1)
            throw new ArgumentException($"micro-batches must be at least 1, got {MicroBatches}", nameof(MicroBatches));
        if (VirtualStages < 1)
            throw new ArgumentException($"virtual stages must be at least 1, got {VirtualStages}", nameof(VirtualStages));
        if (Batches < 1)
            throw new ArgumentException($"batches must be at least 1, got {Batches}", nameof(Batches));

        if (Kind == PipelineScheduleKind.Interleaved)
        {
            if (VirtualStages < 2)
                throw new ArgumentException($"the interleaved schedule needs at least 2 virtual stages (model chunks per rank), got {VirtualStages}; use 1f1b for one chunk", nameof(VirtualStages));
            // Megatron-LM's interleaved order walks micro-batches in groups of p per chunk.
            if (MicroBatches % Stages != 0)
                throw new ArgumentException($"the interleaved schedule needs micro-batches ({MicroBatches}) divisible by pipeline stages ({Stages})", nameof(MicroBatches));
        }
        else if (VirtualStages != 1)
        {
            throw new ArgumentException($"virtual stages (model chunks per rank) above 1 need the interleaved schedule; {Kind} got {VirtualStages}", nameof(VirtualStages));
        }

        if (Kind == PipelineScheduleKind.PipeDream2BW)
        {
            // With fewer micro-batches than stages a stage would still hold micro-batches of batch t when batch t+2
            // starts, which needs a third weight version.
            if (MicroBatches < Stages)
                throw new ArgumentException($"PipeDream-2BW needs at least as many micro-batches ({MicroBatches}) as pipeline stages ({Stages}) so two weight versions suffice", nameof(MicroBatches));
        }
        else if (Batches != 1)
        {
            throw new ArgumentException($"{Kind} flushes after every batch, so a schedule covers exactly 1 batch, got {Batches}", nameof(Batches));
        }
    }
}
