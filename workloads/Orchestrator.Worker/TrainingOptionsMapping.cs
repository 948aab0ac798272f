using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Kernels.Moe;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Worker;

/// <summary>Turns an assignment (spec + plan) into the options of the built-in training loop.</summary>
internal static class TrainingOptionsMapping
{
    /// <summary>The options for <paramref name="assignment"/>'s job and layout.</summary>
    /// <exception cref="ArgumentException">The spec asks for something the built-in runtime cannot train (named by its spec field).</exception>
    public static TrainingOptions From(WorkerAssignment assignment)
    {
        var spec = assignment.Spec;
        var plan = assignment.Plan;
        var source = spec.Data.Source == "builtin:synthetic" ? "synthetic" : spec.Data.Source;
        return new TrainingOptions(
            Layers: spec.Model.Layers,
            Hidden: spec.Model.Hidden,
            Heads: spec.Model.Heads,
            SequenceLength: spec.Model.SequenceLength,
            Vocabulary: spec.Model.Vocabulary,
            GlobalBatch: spec.Training.GlobalBatch,
            MicroBatch: plan.MicroBatch,
            Steps: spec.Training.Steps,
            LearningRate: spec.Training.Optimizer.LearningRate,
            Seed: spec.Training.Seed,
            TensorParallelSize: plan.Tensor,
            PipelineParallelSize: plan.Pipeline,
            DataParallelSize: plan.Data,
            VirtualStages: plan.VirtualStages,
            Schedule: plan.Schedule == "pipedream-2bw" ? "2bw" : plan.Schedule,
            Recompute: plan.Recompute,
            DataSource: source,
            // With a checkpoint store the loop resumes from the newest checkpoint that verifies, weights and data
            // position together; without one there is nothing to resume and the run starts over.
            StartStep: 0,
            SequenceParallel: plan.SequenceParallel,
            PeakFlopsPerDevice: assignment.PeakFlopsPerDevice,
            Moe: MoeOf(spec.Model),
            ExpertParallelSize: plan.Expert);
    }

    /// <summary>
    /// The kernels' MoE settings for the spec's <c>model.moe</c>. Their block size (the grouped products' row tile,
    /// which must divide the MLP width) is the largest power of two up to the kernels' default that divides
    /// 4·hidden, the width the runtime trains; it changes how rows are padded, not the results.
    /// </summary>
    private static GptMoeSettings? MoeOf(ModelSpec model)
    {
        if (model.Moe is not { } moe) return null;
        if (moe.CapacityFactor is { } factor)
        {
            throw new ArgumentException(
                $"spec.model.moe.capacityFactor is {factor}, but the built-in runtime trains only dropless MoE layers (every token reaches its top-k experts); remove capacityFactor to train dropless",
                "spec.model.moe.capacityFactor");
        }

        var feedForward = 4 * model.Hidden;
        var blockSize = MoeOptions.DefaultBlockSize;
        while (feedForward % blockSize != 0 && blockSize > 1) blockSize /= 2;
        return new GptMoeSettings(moe.Experts, moe.TopK, moe.Every, blockSize);
    }
}
