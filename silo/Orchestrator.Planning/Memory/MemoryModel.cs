using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Memory;

/// <summary>
/// Predicts the device memory of the busiest GPU: mixed-precision Adam state (16 bytes per parameter, 12 of them
/// optimizer state that ZeRO-1 shards over the data-parallel ranks) and the activations of Korthikanti et al. for
/// every micro-batch the pipeline schedule keeps in flight on the first stage.
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
    internal static MemoryEstimate EstimateUnchecked(TransformerModel model, TrainingShape training, LayoutChoice choice, GpuModel gpu, CostModelConstants constants)
    {
        var layout = choice.Layout;
        int t = layout.Tensor, p = layout.Pipeline, e = layout.Expert;
        var split = StageSplit.For(model, p, layout.VirtualStages, choice.Recompute);
        var layers = split.FirstStageLayers;
        var moeShare = (double)model.MoeLayers / model.Layers;

        var perLayerDense = model.AttentionAndNormParameters + (1 - moeShare) * model.DenseFfnParameters +
                            (model.Moe is null ? 0 : moeShare * (double)model.Hidden * model.Moe.Experts);
        var perLayerExpert = model.Moe is null ? 0 : moeShare * model.Moe.Experts * model.ExpertParameters;

        // The first stage holds the word and position embeddings; with one stage it is also the last.
        var embedding = (double)model.PaddedVocabulary(t) * model.Hidden + (double)model.SequenceLength * model.Hidden;
        var dense = (layers * perLayerDense + embedding) / t;
        var expert = layers * perLayerExpert / (t * (double)e);
        var parameters = dense + expert;

        var weightCopies = choice.Schedule == PipelineSchedule.PipeDream2BW ? 2 : 1;
        var weights = TransformerModel.ElementBytes * parameters * weightCopies;
        var gradients = TransformerModel.ElementBytes * parameters;
        var optimizer = choice.ShardOptimizer
            ? OptimizerBytesPerParameter * (dense / layout.Data + expert / Math.Max(1, layout.Data / e))
            : OptimizerBytesPerParameter * parameters;

        var activations = Activations(model, training, choice, layers);
        var capacity = gpu.MemoryGiB * 1024.0 * 1024 * 1024 * (1 - constants.MemoryReserveFraction);
        return new MemoryEstimate(weights, gradients, optimizer, activations, capacity);
    }

    /// <summary>
    /// Activations on the first stage: its layers times the micro-batches in flight (all m under GPipe, p under
    /// 1F1B and PipeDream-2BW, p·(1 + (p−1)/(p·v)) stage-equivalents interleaved), plus the embedding dropout
    /// mask of each micro-batch in flight, plus, with a single stage, the output layer (4sbh/t·(1 + V/h)).
    /// Under full recomputation one layer's complete activations are live while it is recomputed.
    /// </summary>
    internal static double Activations(TransformerModel model, TrainingShape training, LayoutChoice choice, int stageLayers)
    {
        var layout = choice.Layout;
        int t = layout.Tensor, p = layout.Pipeline, v = layout.VirtualStages, b = choice.MicroBatch;
        var sp = choice.SequenceParallel;
        double s = model.SequenceLength, h = model.Hidden;
        var m = choice.MicroBatches(training.GlobalBatch);

        double inFlight = choice.Schedule switch
        {
            PipelineSchedule.GPipe => m,
            PipelineSchedule.Interleaved => Math.Min(m, p) * (1 + (p - 1.0) / (p * v)),
            _ => Math.Min(m, p),
        };

        var moeShare = (double)model.MoeLayers / model.Layers;
        var perLayer = (1 - moeShare) * ActivationMemory.Layer(model, b, t, sp, choice.Recompute, moe: false) +
                       moeShare * ActivationMemory.Layer(model, b, t, sp, choice.Recompute, moe: true);
        var total = perLayer * stageLayers * inFlight;

        total += s * b * h * Math.Min(m, p) / (sp ? t : 1);
        if (p == 1) total += 4 * s * b * h / t * (1 + model.PaddedVocabulary(t) / h);
        if (choice.Recompute == RecomputeMode.Full)
        {
            var moe = model.MoeLayers > 0;
            total += ActivationMemory.Layer(model, b, t, sp, RecomputeMode.None, moe);
        }

        return total;
    }
}
