using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Search;

/// <summary>
/// What to plan: a model, a batch and a cluster, with any choices the user fixed. A choice left null is searched.
/// </summary>
/// <param name="Model">The model.</param>
/// <param name="Training">Global batch and gradient-reduction overlap.</param>
/// <param name="Cluster">The GPUs and their links.</param>
public sealed record PlanningRequest(TransformerModel Model, TrainingShape Training, PlanningCluster Cluster)
{
    /// <summary>Fixed tensor-parallel size, or null to search divisors of the GPU count up to the NVLink domain.</summary>
    public int? TensorParallelSize { get; init; }

    /// <summary>Fixed pipeline-parallel size, or null to search.</summary>
    public int? PipelineParallelSize { get; init; }

    /// <summary>Fixed data-parallel size, or null for whatever the GPU count leaves.</summary>
    public int? DataParallelSize { get; init; }

    /// <summary>Fixed expert-parallel size, or null to search divisors of the data size that divide the experts.</summary>
    public int? ExpertParallelSize { get; init; }

    /// <summary>Fixed context-parallel size, or null to search (see <see cref="ContextParallelMinSequence"/>).</summary>
    public int? ContextParallelSize { get; init; }

    /// <summary>Shortest sequence for which the search tries context parallelism on its own.</summary>
    public int ContextParallelMinSequence { get; init; } = 8192;

    /// <summary>Largest context-parallel size the search tries.</summary>
    public int MaxContextParallelSize { get; init; } = 32;

    /// <summary>
    /// Largest share of the cluster's GPUs a plan may leave idle when the global batch splits better over fewer
    /// (0 = always use every GPU). 1/8 by default: a few idle GPUs beat a layout forced into awkward sizes.
    /// </summary>
    public double MaxIdleFraction { get; init; } = 0.125;

    /// <summary>Fixed virtual stages per rank (1 = not interleaved), or null to search.</summary>
    public int? VirtualStages { get; init; }

    /// <summary>Fixed micro-batch size, or null to search divisors of the per-replica batch up to <see cref="MaxMicroBatch"/>.</summary>
    public int? MicroBatch { get; init; }

    /// <summary>Fixed recomputation mode, or null to search all three.</summary>
    public RecomputeMode? Recompute { get; init; }

    /// <summary>Fixed sequence parallelism, or null to search both where the tensor size is above 1.</summary>
    public bool? SequenceParallel { get; init; }

    /// <summary>Fixed ZeRO-1 optimizer sharding, or null to search both where the data size is above 1.</summary>
    public bool? ShardOptimizer { get; init; }

    /// <summary>
    /// Pipeline schedule for non-interleaved candidates (interleaved ones always use <see cref="PipelineSchedule.Interleaved"/>);
    /// 1F1B by default. GPipe and PipeDream-2BW are evaluated only when asked for: 2BW changes the optimisation
    /// (weights one step stale), so the search never picks it on its own.
    /// </summary>
    public PipelineSchedule Schedule { get; init; } = PipelineSchedule.OneForwardOneBackward;

    /// <summary>Largest micro-batch the search tries.</summary>
    public int MaxMicroBatch { get; init; } = 32;

    /// <summary>Largest number of virtual stages the search tries.</summary>
    public int MaxVirtualStages { get; init; } = 8;

    /// <summary>How many alternatives after the best plan to return.</summary>
    public int Alternatives { get; init; } = 4;

    /// <summary>Calibration constants.</summary>
    public CostModelConstants Constants { get; init; } = CostModelConstants.Default;

    /// <summary>Checks the request; every error names the field.</summary>
    /// <returns>The errors; empty when the request can be planned.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Model.Validate());
        if (Training.Validate() is { } trainingError) errors.Add(trainingError);
        if (Cluster.Validate() is { } clusterError) errors.Add(clusterError);
        if (Constants.Validate() is { } constantsError) errors.Add(constantsError);
        if (TensorParallelSize is < 1) errors.Add($"parallelism.tensor must be at least 1, got {TensorParallelSize}");
        if (PipelineParallelSize is < 1) errors.Add($"parallelism.pipeline must be at least 1, got {PipelineParallelSize}");
        if (DataParallelSize is < 1) errors.Add($"parallelism.data must be at least 1, got {DataParallelSize}");
        if (ExpertParallelSize is < 1) errors.Add($"parallelism.expert must be at least 1, got {ExpertParallelSize}");
        if (VirtualStages is < 1) errors.Add($"parallelism.virtualStages must be at least 1, got {VirtualStages}");
        if (ContextParallelSize is < 1) errors.Add($"parallelism.context must be at least 1, got {ContextParallelSize}");
        if (ContextParallelSize is > 1 && Model.FlashAttention == false)
            errors.Add("parallelism.context above 1 needs model.attention.flash: ring attention is built on the fused attention kernel");
        if (MaxContextParallelSize < 1) errors.Add($"maxContextParallelSize must be at least 1, got {MaxContextParallelSize}");
        if (!(MaxIdleFraction is >= 0 and < 1)) errors.Add($"maxIdleFraction must lie in [0, 1), got {MaxIdleFraction}");
        if (MicroBatch is < 1) errors.Add($"parallelism.microBatch must be at least 1, got {MicroBatch}");
        if (MaxMicroBatch < 1) errors.Add($"maxMicroBatch must be at least 1, got {MaxMicroBatch}");
        if (Alternatives < 0) errors.Add($"alternatives must not be negative, got {Alternatives}");
        if (Schedule == PipelineSchedule.Interleaved)
            errors.Add("parallelism.schedule: ask for interleaving with parallelism.virtualStages, not as the base schedule");
        var gpus = Cluster.GpuCount;
        if (gpus >= 1)
        {
            if (TensorParallelSize is { } tensor && tensor >= 1 && gpus % tensor != 0)
                errors.Add($"parallelism.tensor ({tensor}) must divide resources.gpus ({gpus})");
            if (PipelineParallelSize is { } pipeline && pipeline >= 1 && gpus % pipeline != 0)
                errors.Add($"parallelism.pipeline ({pipeline}) must divide resources.gpus ({gpus})");
            if (DataParallelSize is { } data && data >= 1 && gpus % data != 0)
                errors.Add($"parallelism.data ({data}) must divide resources.gpus ({gpus})");
        }

        if (Model.Heads >= 1 && TensorParallelSize is { } fixedTensor && fixedTensor >= 1 && Model.Heads % fixedTensor != 0)
            errors.Add($"parallelism.tensor ({fixedTensor}) must divide model.heads ({Model.Heads})");
        if (PipelineParallelSize is { } fixedPipeline && Model.Layers >= 1 && fixedPipeline > Model.Layers)
            errors.Add($"parallelism.pipeline ({fixedPipeline}) must not exceed model.layers ({Model.Layers}): every stage needs a layer");

        var c = ContextParallelSize ?? 1;
        if (TensorParallelSize is { } t && PipelineParallelSize is { } p && DataParallelSize is { } d && (long)t * c * p * d != Cluster.GpuCount)
            errors.Add($"parallelism tensor × context × pipeline × data ({t}×{c}×{p}×{d} = {(long)t * c * p * d}) must equal resources.gpus ({Cluster.GpuCount})");
        return errors;
    }
}
