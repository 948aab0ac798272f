using Orchestrator.Contracts.Workers;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Worker;

/// <summary>Turns an assignment (spec + plan) into the options of the built-in training loop.</summary>
internal static class TrainingOptionsMapping
{
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
            PeakFlopsPerDevice: assignment.PeakFlopsPerDevice);
    }
}
