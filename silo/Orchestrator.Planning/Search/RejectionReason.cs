namespace Orchestrator.Planning.Search;

/// <summary>Why the search set a candidate aside; counted in <see cref="PlanningResult.RejectionCounts"/> by these names.</summary>
public static class RejectionReason
{
    /// <summary>The tensor-parallel size does not divide the heads, the query groups or the FFN size.</summary>
    public const string TensorDoesNotDivideModel = "tensorDoesNotDivideModel";

    /// <summary>The tensor group would leave the NVLink domain.</summary>
    public const string TensorBeyondNvlinkDomain = "tensorBeyondNvlinkDomain";

    /// <summary>More pipeline stages (times virtual stages) than layers, or layers not divisible for interleaving.</summary>
    public const string PipelineDoesNotSplitLayers = "pipelineDoesNotSplitLayers";

    /// <summary>The global batch does not split into whole micro-batches over the data-parallel ranks.</summary>
    public const string BatchDoesNotDivide = "batchDoesNotDivide";

    /// <summary>The interleaved schedule needs the micro-batch count to be a multiple of the pipeline size.</summary>
    public const string InterleavingNeedsMoreMicroBatches = "interleavingNeedsMoreMicroBatches";

    /// <summary>The expert-parallel size does not divide the experts.</summary>
    public const string ExpertDoesNotDivide = "expertDoesNotDivide";

    /// <summary>The busiest GPU would run out of memory.</summary>
    public const string OutOfMemory = "outOfMemory";
}
