namespace Orchestrator.Planning.Cost;

/// <summary>
/// Where one iteration's time goes on the slowest pipeline stage, in seconds per iteration. The parts add up to
/// the iteration time.
/// </summary>
/// <param name="GemmSeconds">Dense matrix multiplications of the transformer layers (forward and backward).</param>
/// <param name="AttentionSeconds">The attention core: QKᵀ, softmax, dropout, attention over V.</param>
/// <param name="ElementwiseSeconds">Memory-bound kernels: LayerNorm, bias-GeLU, bias-dropout-add, MoE token permutation.</param>
/// <param name="RecomputeSeconds">Forward work rerun in the backward pass (full or selective recomputation).</param>
/// <param name="TensorCommunicationSeconds">Exposed tensor-parallel collectives.</param>
/// <param name="ExpertCommunicationSeconds">MoE all-to-all (dispatch and combine).</param>
/// <param name="LogitsAndEmbeddingSeconds">Output layer, cross-entropy and embedding on the stages that hold them.</param>
/// <param name="PipelineCommunicationSeconds">Point-to-point transfers between neighbouring stages.</param>
/// <param name="PipelineBubbleSeconds">Idle time while the pipeline fills and drains.</param>
/// <param name="DataCommunicationSeconds">Exposed data-parallel gradient reduction (and ZeRO-1 parameter all-gather).</param>
/// <param name="OptimizerSeconds">The mixed-precision Adam step.</param>
/// <param name="ContextCommunicationSeconds">Exposed ring-attention key/value exchange among context-parallel ranks.</param>
/// <param name="Fp8ConversionSeconds">
/// Transformer Engine's FP8 work besides the GEMMs: casting and transposing GEMM inputs, output gradients and weights,
/// and the amax all-reduces (zero unless the model runs in FP8).
/// </param>
public sealed record CostBreakdown(
    double GemmSeconds,
    double AttentionSeconds,
    double ElementwiseSeconds,
    double RecomputeSeconds,
    double TensorCommunicationSeconds,
    double ExpertCommunicationSeconds,
    double LogitsAndEmbeddingSeconds,
    double PipelineCommunicationSeconds,
    double PipelineBubbleSeconds,
    double DataCommunicationSeconds,
    double OptimizerSeconds,
    double ContextCommunicationSeconds = 0,
    double Fp8ConversionSeconds = 0)
{
    /// <summary>Sum of the parts: the iteration time.</summary>
    public double TotalSeconds =>
        GemmSeconds + AttentionSeconds + ElementwiseSeconds + RecomputeSeconds + TensorCommunicationSeconds +
        ExpertCommunicationSeconds + LogitsAndEmbeddingSeconds + PipelineCommunicationSeconds + PipelineBubbleSeconds +
        DataCommunicationSeconds + OptimizerSeconds + ContextCommunicationSeconds + Fp8ConversionSeconds;

    /// <summary>The parts as (camelCase name, seconds) pairs, in a fixed order, for reports.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Parts() =>
    [
        new("gemm", GemmSeconds),
        new("attention", AttentionSeconds),
        new("elementwise", ElementwiseSeconds),
        new("fp8Conversion", Fp8ConversionSeconds),
        new("recompute", RecomputeSeconds),
        new("tensorCommunication", TensorCommunicationSeconds),
        new("expertCommunication", ExpertCommunicationSeconds),
        new("contextCommunication", ContextCommunicationSeconds),
        new("logitsAndEmbedding", LogitsAndEmbeddingSeconds),
        new("pipelineCommunication", PipelineCommunicationSeconds),
        new("pipelineBubble", PipelineBubbleSeconds),
        new("dataCommunication", DataCommunicationSeconds),
        new("optimizer", OptimizerSeconds),
    ];
}
