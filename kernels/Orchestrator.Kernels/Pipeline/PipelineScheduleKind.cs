namespace Orchestrator.Kernels.Pipeline;

/// <summary>The pipeline schedules the runtime knows (Megatron-LM PTD-P and PipeDream-2BW).</summary>
public enum PipelineScheduleKind
{
    /// <summary>All forwards of a batch, then all backwards, then a flush and one optimizer step.</summary>
    GPipe,

    /// <summary>PipeDream-Flush: warm-up forwards, then one forward one backward, then cool-down; flush per batch.</summary>
    OneForwardOneBackward,

    /// <summary>1F1B over <c>v</c> model chunks per rank (Megatron-LM's interleaved schedule); bubble shrinks by v.</summary>
    Interleaved,

    /// <summary>
    /// PipeDream-2BW: 1F1B without flushes across batches, two weight versions per stage, gradients coalesced over a
    /// batch and applied one version late: W(t+1) = W(t) - lr·∇f(W(t-1)).
    /// </summary>
    PipeDream2BW,
}
