using Orchestrator.Planning.Layout;

namespace Orchestrator.Planning.Model;

/// <summary>Everything the planner chooses for a job besides the model: the parallel layout and how each rank runs it.</summary>
/// <param name="Layout">Tensor, pipeline, data and expert sizes, and virtual stages.</param>
/// <param name="MicroBatch">Sequences per micro-batch (b).</param>
/// <param name="Recompute">Activation recomputation mode.</param>
/// <param name="SequenceParallel">Megatron sequence parallelism (splits LayerNorm and dropout along the sequence across the tensor group).</param>
/// <param name="ShardOptimizer">ZeRO-1: optimizer state sharded across the data-parallel ranks.</param>
/// <param name="Schedule">Pipeline schedule; <see cref="PipelineSchedule.Interleaved"/> whenever the layout has more than one virtual stage.</param>
/// <param name="EvenStages">
/// Every pipeline stage holds the same number of layers, the output layer's stage too: Megatron's split unless
/// <c>account_for_loss_in_pipeline_split</c> or an explicit layout moves layers off the last stage. False lets the
/// planner give the last stage fewer layers to make room for the output layer.
/// </param>
public sealed record LayoutChoice(
    ParallelLayout Layout,
    int MicroBatch,
    RecomputeMode Recompute = RecomputeMode.None,
    bool SequenceParallel = false,
    bool ShardOptimizer = false,
    PipelineSchedule Schedule = PipelineSchedule.OneForwardOneBackward,
    bool EvenStages = false)
{
    /// <summary>Micro-batches each pipeline processes per iteration: B / (data · b).</summary>
    public int MicroBatches(int globalBatch) => globalBatch / (Layout.Data * MicroBatch);

    /// <summary>
    /// Checks the choice against a model and a batch; every error names the field, what was wrong and what is allowed.
    /// </summary>
    /// <returns>The errors; empty when the choice can run the model.</returns>
    public IReadOnlyList<string> Validate(TransformerModel model, TrainingShape training)
    {
        var errors = new List<string>();
        if (Layout.Validate() is { } layoutError)
        {
            errors.Add(layoutError);
            return errors;
        }

        var layout = Layout;
        if (model.Heads % layout.Tensor != 0) errors.Add($"parallelism.tensor ({layout.Tensor}) must divide model.heads ({model.Heads})");
        if (model.KeyValueGroups % layout.Tensor != 0 && layout.Tensor % model.KeyValueGroups != 0)
            errors.Add($"parallelism.tensor ({layout.Tensor}) and model.queryGroups ({model.KeyValueGroups}) must divide one another");
        if (model.Ffn % layout.Tensor != 0) errors.Add($"parallelism.tensor ({layout.Tensor}) must divide model.ffn ({model.Ffn})");
        if (layout.Pipeline * layout.VirtualStages > model.Layers)
            errors.Add($"parallelism.pipeline × parallelism.virtualStages ({layout.Pipeline}×{layout.VirtualStages}) must not exceed model.layers ({model.Layers}): every stage needs a layer");
        else if (layout.VirtualStages > 1 && model.Layers - (layout.Pipeline - 1) * ((model.Layers + layout.Pipeline - 1) / layout.Pipeline) < 1)
            errors.Add($"model.layers ({model.Layers}) leaves the last of parallelism.pipeline ({layout.Pipeline}) interleaved stages without a layer");
        if (EvenStages && model.Layers % (layout.Pipeline * layout.VirtualStages) != 0)
            errors.Add($"parallelism.evenStages needs parallelism.pipeline × parallelism.virtualStages ({layout.Pipeline}×{layout.VirtualStages}) to divide model.layers ({model.Layers})");
        if (layout.VirtualStages > 1 && Schedule != PipelineSchedule.Interleaved)
            errors.Add($"parallelism.schedule must be interleaved when parallelism.virtualStages is {layout.VirtualStages}");
        if (Schedule == PipelineSchedule.Interleaved && layout.VirtualStages < 2)
            errors.Add("parallelism.virtualStages must be at least 2 for the interleaved schedule");
        if (MicroBatch < 1) errors.Add($"parallelism.microBatch must be at least 1, got {MicroBatch}");
        else if (training.GlobalBatch % (layout.Data * MicroBatch) != 0)
            errors.Add($"training.globalBatch ({training.GlobalBatch}) must be a multiple of parallelism.data × parallelism.microBatch ({layout.Data}×{MicroBatch})");
        else if (layout.VirtualStages > 1 && MicroBatches(training.GlobalBatch) % layout.Pipeline != 0)
            errors.Add($"the interleaved schedule needs the micro-batches per pipeline ({MicroBatches(training.GlobalBatch)}) to be a multiple of parallelism.pipeline ({layout.Pipeline})");
        if (SequenceParallel && layout.Tensor == 1) errors.Add("parallelism.sequenceParallel needs parallelism.tensor above 1");
        if (layout.Context > 1)
        {
            // Megatron splits each sequence into 2c chunks and gives rank i chunks i and 2c−1−i to balance the causal mask.
            if (model.SequenceLength % (2 * layout.Context) != 0)
                errors.Add($"model.sequenceLength ({model.SequenceLength}) must be a multiple of 2 × parallelism.context ({2 * layout.Context}) for load-balanced context parallelism");
            if (model.FlashAttention == false)
                errors.Add("parallelism.context above 1 needs model.attention.flash: ring attention is built on the fused attention kernel");
        }

        if (model.Moe is null && layout.Expert > 1) errors.Add($"parallelism.expert ({layout.Expert}) must be 1 for a dense model");
        if (model.Moe is { } moe && moe.Experts % layout.Expert != 0)
            errors.Add($"parallelism.expert ({layout.Expert}) must divide model.moe.experts ({moe.Experts})");
        return errors;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Layout} b{MicroBatch} {Recompute.ToString().ToLowerInvariant()}" + (SequenceParallel ? " sp" : "") + (ShardOptimizer ? " zero1" : "");
}
