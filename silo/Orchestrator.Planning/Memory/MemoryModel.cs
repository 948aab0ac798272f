using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Memory;

/// <summary>
/// Predicts the device memory of the busiest GPU: mixed-precision Adam state (16-bit weights, 16-bit or FP32 main
/// gradients, 12 bytes of optimizer state per parameter that the distributed optimizer shards over the data- and
/// context-parallel ranks) and the activations of Korthikanti et al. for every micro-batch the pipeline schedule
/// keeps in flight, on whichever end stage (first or last) needs more.
/// </summary>
public static class MemoryModel
{
    /// <summary>fp32 master weights and the two Adam moments.</summary>
    public const double OptimizerBytesPerParameter = 12;

    /// <summary>Predicts the memory of <paramref name="choice"/> on <paramref name="gpu"/>.</summary>
    /// <param name="model">The model; must be valid.</param>
    /// <param name="training">The global batch.</param>
    /// <param name="choice">Layout and per-rank choices; must suit the model and batch.</param>
    /// <param name="gpu">The device, for its capacity.</param>
    /// <param name="constants">Supplies the memory reserve; the calibrated defaults when null.</param>
    /// <exception cref="ArgumentException">The model, batch or choice is invalid; the message names the field.</exception>
    public static MemoryEstimate Estimate(TransformerModel model, TrainingShape training, LayoutChoice choice, GpuModel gpu, CostModelConstants? constants = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(gpu);
        model.EnsureValid();
        if (training.Validate() is { } trainingError) throw new ArgumentException(trainingError, nameof(training));
        var errors = choice.Validate(model, training);
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(choice));
        return EstimateUnchecked(model, training, choice, gpu, constants ?? CostModelConstants.Default);
    }

    /// <summary>The estimate without validation, for the search, which only builds valid choices.</summary>
    /// <remarks>
    /// Both end stages are priced and the larger kept: the first holds the embedding and keeps the most
    /// micro-batches in flight, the last holds the output layer and its logits.
    /// </remarks>
    internal static MemoryEstimate EstimateUnchecked(TransformerModel model, TrainingShape training, LayoutChoice choice, GpuModel gpu, CostModelConstants constants)
    {
        model = model.ResolvedFor(gpu);
        var split = StageSplit.For(model, choice.Layout.Pipeline, choice.Layout.VirtualStages, choice.Recompute, choice.EvenStages);
        var capacity = gpu.MemoryGiB * 1024.0 * 1024 * 1024 * (1 - constants.MemoryReserveFraction);
        var first = Stage(model, training, choice, split, firstStage: true, gpu, capacity);
        if (split.Stages == 1) return first;
        var last = Stage(model, training, choice, split, firstStage: false, gpu, capacity);
        return last.TotalBytes > first.TotalBytes ? last : first;
    }

    private static MemoryEstimate Stage(TransformerModel model, TrainingShape training, LayoutChoice choice, StageSplit split, bool firstStage, GpuModel gpu, double capacity)
    {
        var layout = choice.Layout;
        int t = layout.Tensor, e = layout.Expert;
        var layers = firstStage ? split.FirstStageLayers : split.LastStageLayers;
        var dense = firstStage ? StageParameterCount.First(model, split, t) : StageParameterCount.Last(model, split, t);
        var expert = layers * StageParameterCount.ExpertPerLayer(model) / (t * (double)e);
        var parameters = dense + expert;

        var weightCopies = choice.Schedule == PipelineSchedule.PipeDream2BW ? 2 : 1;
        var weights = TransformerModel.ElementBytes * parameters * weightCopies;
        // FP32 main gradients replace the 16-bit ones (gradients accumulate straight into them).
        var gradients = training.GradientBytes * parameters;
        // The distributed optimizer shards over the data and context ranks, which hold the same weights.
        var replicas = layout.Data * layout.Context;
        var optimizer = choice.ShardOptimizer
            ? OptimizerBytesPerParameter * (dense / replicas + expert / Math.Max(1, replicas / e))
            : OptimizerBytesPerParameter * parameters;

        var fp8 = model.Precision == Precision.Fp8 && gpu.PeakFp8Tflops is not null;
        var activations = Activations(model, training, choice, layers, firstStage, split.Stages, fp8);
        return new MemoryEstimate(weights, gradients, optimizer, activations, capacity);
    }

    /// <summary>
    /// Activations of an end stage: its layers times the micro-batches in flight there (the first stage: all m
    /// under GPipe, p under 1F1B and PipeDream-2BW, p·(1 + (p−1)/(p·v)) stage-equivalents interleaved; the last
    /// stage: one, or 1 + (p−1)/v interleaved), plus the embedding dropout mask per micro-batch in flight on the
    /// first stage, plus the output layer and its FP32 logits (4sbh/t·(1 + V/h)) on the last, plus the MoE
    /// all-to-all buffers of the layer running. Under full recomputation one layer's complete activations are live
    /// while it is recomputed. A context-parallel rank holds s/c of every sequence. Under <c>fp8</c> the GEMM
    /// inputs kept for the backward pass are FP8 copies (<see cref="ActivationMemory.Layer"/>); a model without dropout
    /// keeps no masks, the embedding's included.
    /// </summary>
    internal static double Activations(TransformerModel model, TrainingShape training, LayoutChoice choice, int stageLayers, bool firstStage = true, int stages = 0, bool fp8 = false)
    {
        var layout = choice.Layout;
        int t = layout.Tensor, p = layout.Pipeline, v = layout.VirtualStages, b = choice.MicroBatch, c = layout.Context;
        var sp = choice.SequenceParallel;
        double s = model.SequenceLength / (double)c, h = model.Hidden;
        var m = choice.MicroBatches(training.GlobalBatch);
        var single = p == 1;

        double inFlight = (choice.Schedule, firstStage || single) switch
        {
            (PipelineSchedule.GPipe, _) => m,
            (PipelineSchedule.Interleaved, true) => Math.Min(m, p) * (1 + (p - 1.0) / (p * v)),
            (PipelineSchedule.Interleaved, false) => Math.Min(m, 1 + (p - 1.0) / v),
            (_, true) => Math.Min(m, p),
            _ => 1,
        };

        var moeShare = (double)model.MoeLayers / model.Layers;
        var perLayer = (1 - moeShare) * ActivationMemory.Layer(model, b, t, c, sp, choice.Recompute, moe: false, fp8) +
                       moeShare * ActivationMemory.Layer(model, b, t, c, sp, choice.Recompute, moe: true, fp8);
        var total = perLayer * stageLayers * inFlight;

        if (model.Dropout && (firstStage || single)) total += s * b * h * Math.Min(m, p) / (sp ? t : 1);
        if (!firstStage || single) total += 4 * s * b * h / t * (1 + model.PaddedVocabulary(t) / h);
        if (model.MoeLayers > 0) total += ActivationMemory.MoeDispatchBuffers(model, b, t, c, sp);
        if (choice.Recompute == RecomputeMode.Full)
        {
            var moe = model.MoeLayers > 0;
            total += ActivationMemory.Layer(model, b, t, c, sp, RecomputeMode.None, moe, fp8);
        }

        return total;
    }
}
