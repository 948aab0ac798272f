namespace Orchestrator.Planning.Model;

/// <summary>How micro-batches flow through the pipeline stages.</summary>
public enum PipelineSchedule
{
    /// <summary>All forwards, then all backwards (GPipe): bubble (p−1)/m, keeps every micro-batch's activations.</summary>
    GPipe = 0,

    /// <summary>One forward, one backward (PipeDream-Flush / Megatron 1F1B): bubble (p−1)/m, at most p micro-batches in flight.</summary>
    OneForwardOneBackward = 1,

    /// <summary>1F1B over v model chunks per rank (Megatron interleaved): bubble (p−1)/(v·m), v times the point-to-point traffic.</summary>
    Interleaved = 2,

    /// <summary>PipeDream-2BW: no flush, so no bubble in steady state, at the price of a second (stashed) copy of the weights.</summary>
    PipeDream2BW = 3,
}
