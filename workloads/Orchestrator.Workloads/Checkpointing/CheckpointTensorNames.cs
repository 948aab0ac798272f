namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// Names of a training checkpoint's tensors. Each is keyed by the parameter's canonical name in the full model
/// (<see cref="Orchestrator.Kernels.Model.GptParameterNames"/>), which uses global layer indices, so a name means the
/// same tensor under every layout.
/// </summary>
public static class CheckpointTensorNames
{
    /// <summary>The parameter itself: <c>model/NAME</c>.</summary>
    public static string Model(string parameter) => "model/" + parameter;

    /// <summary>AdamW's first moment of the parameter, shaped like it: <c>optimizer/exp_avg/NAME</c>.</summary>
    public static string ExpAvg(string parameter) => "optimizer/exp_avg/" + parameter;

    /// <summary>AdamW's second moment of the parameter, shaped like it: <c>optimizer/exp_avg_sq/NAME</c>.</summary>
    public static string ExpAvgSq(string parameter) => "optimizer/exp_avg_sq/" + parameter;
}
