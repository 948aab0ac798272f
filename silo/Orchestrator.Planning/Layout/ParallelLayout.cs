namespace Orchestrator.Planning.Layout;

/// <summary>
/// The parallel layout of one training job: how its ranks are split into tensor-, pipeline-, data- and
/// expert-parallel groups, in Megatron-LM's rank order (tensor fastest, then context, then data, then pipeline).
/// </summary>
/// <param name="Tensor">Tensor-parallel size: ranks that split each layer's matrices. Kept inside one NVLink domain.</param>
/// <param name="Pipeline">Pipeline-parallel size: stages that each hold a contiguous range of layers.</param>
/// <param name="Data">Data-parallel size: replicas that split the global batch.</param>
/// <param name="Expert">Expert-parallel size: ranks, drawn from the data-parallel ones, that split the experts of an MoE layer.</param>
/// <param name="VirtualStages">Model chunks per pipeline rank (interleaved 1F1B); 1 when not interleaved.</param>
/// <param name="Context">
/// Context-parallel size (c): ranks that split every sequence into c chunks and exchange keys and values around a
/// ring for attention (Megatron-LM <c>--context-parallel-size</c>); weights are replicated across them like data ranks.
/// </param>
public sealed record ParallelLayout(int Tensor, int Pipeline, int Data, int Expert = 1, int VirtualStages = 1, int Context = 1)
{
    /// <summary>Ranks (GPUs) the layout occupies: tensor x context x pipeline x data.</summary>
    public int WorldSize => Tensor * Context * Pipeline * Data;

    /// <summary>Checks every size is positive and that experts are drawn from the data-parallel ranks.</summary>
    /// <returns>An error naming the offending field, or null when the layout is well formed.</returns>
    public string? Validate()
    {
        if (Tensor < 1) return $"parallelism.tensor must be at least 1, got {Tensor}";
        if (Pipeline < 1) return $"parallelism.pipeline must be at least 1, got {Pipeline}";
        if (Data < 1) return $"parallelism.data must be at least 1, got {Data}";
        if (Expert < 1) return $"parallelism.expert must be at least 1, got {Expert}";
        if (VirtualStages < 1) return $"parallelism.virtualStages must be at least 1, got {VirtualStages}";
        if (Context < 1) return $"parallelism.context must be at least 1, got {Context}";
        if (Data % Expert != 0) return $"parallelism.expert ({Expert}) must divide parallelism.data ({Data}): expert ranks are drawn from data-parallel ranks";
        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"t{Tensor}·" + (Context > 1 ? $"c{Context}·" : "") + $"p{Pipeline}·d{Data}" + (Expert > 1 ? $"·e{Expert}" : "") + (VirtualStages > 1 ? $"·v{VirtualStages}" : "");
}
