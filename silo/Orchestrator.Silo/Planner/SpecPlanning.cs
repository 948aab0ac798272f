using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Silo.Planner;

/// <summary>Translates a job spec into the planner's terms, and a planner estimate back into a job plan.</summary>
internal static class SpecPlanning
{
    public static TransformerModel Model(ModelSpec model) => new(
        model.Layers, model.Hidden, model.Heads, model.SequenceLength, model.Vocabulary,
        QueryGroups: model.Attention?.QueryGroups,
        FfnHidden: model.Ffn,
        Moe: model.Moe is { } moe ? new MoeDescription(moe.Experts, moe.TopK, moe.Every, moe.CapacityFactor) : null,
        Precision: model.Precision switch { "fp16" => Precision.Fp16, "fp8" => Precision.Fp8, _ => Precision.Bf16 },
        FlashAttention: model.Attention?.Flash,
        Activation: model.Activation == "swiglu" ? FfnActivation.Swiglu : FfnActivation.Gelu,
        UntiedEmbeddings: model.UntiedEmbeddings);

    /// <summary>The batch and how its communication is scheduled; what the spec leaves out is current practice on the hardware.</summary>
    public static TrainingShape Training(TrainingSpec training) => new(
        training.GlobalBatch,
        OverlapGradientReduce: training.Overlap?.GradReduce ?? true,
        OverlapParameterGather: training.Overlap?.ParamGather ?? true,
        OverlapTensorCommunication: training.Overlap?.Tensor,
        Fp32MainGradients: training.MainGradients != "half");

    /// <summary>A search request in which whatever the spec fixes is fixed and the rest is searched.</summary>
    public static PlanningRequest Request(TrainingJobSpec spec, PlanningCluster cluster)
    {
        var request = new PlanningRequest(Model(spec.Model), Training(spec.Training), cluster) { ShardOptimizer = spec.Training.DistributedOptimizer };
        var p = spec.Parallelism;
        if (p.Auto) return request;
        return request with
        {
            ContextParallelSize = p.Context,
            TensorParallelSize = p.Tensor,
            PipelineParallelSize = p.Pipeline,
            DataParallelSize = p.Data,
            ExpertParallelSize = p.Expert,
            VirtualStages = p.VirtualStages,
            MicroBatch = p.MicroBatch,
            Recompute = Recompute(p.Recompute),
            SequenceParallel = p.SequenceParallel,
            Schedule = p.Schedule == "interleaved" ? PipelineSchedule.OneForwardOneBackward : Schedule(p.Schedule),
        };
    }

    public static RecomputeMode Recompute(string name) => name switch
    {
        "none" => RecomputeMode.None,
        "selective" => RecomputeMode.Selective,
        "full" => RecomputeMode.Full,
        _ => throw new ArgumentException($"recompute '{name}' is not none, selective or full"),
    };

    public static PipelineSchedule Schedule(string name) => name switch
    {
        "gpipe" => PipelineSchedule.GPipe,
        "1f1b" => PipelineSchedule.OneForwardOneBackward,
        "interleaved" => PipelineSchedule.Interleaved,
        "pipedream-2bw" => PipelineSchedule.PipeDream2BW,
        _ => throw new ArgumentException($"schedule '{name}' is not gpipe, 1f1b, interleaved or pipedream-2bw"),
    };

    public static JobPlan Plan(PlanEstimate estimate, string source = "planner")
    {
        var choice = estimate.Choice;
        var layout = choice.Layout;
        var schedule = layout.VirtualStages > 1 ? "interleaved" : choice.Schedule switch
        {
            PipelineSchedule.GPipe => "gpipe",
            PipelineSchedule.PipeDream2BW => "pipedream-2bw",
            _ => "1f1b",
        };
        return new JobPlan(layout.Tensor, layout.Pipeline, layout.Data, layout.Expert, layout.VirtualStages, choice.MicroBatch, schedule,
            choice.Recompute.ToString().ToLowerInvariant(), choice.SequenceParallel, estimate.IterationSeconds, source, layout.Context);
    }
}
