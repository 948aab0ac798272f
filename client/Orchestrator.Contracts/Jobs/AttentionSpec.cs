namespace Orchestrator.Contracts.Jobs;

/// <summary>How a GPT's attention is computed.</summary>
/// <param name="QueryGroups">Key/value head groups (grouped-query attention); null for one per head (multi-head attention).</param>
/// <param name="Flash">
/// Whether the attention core runs as one fused FlashAttention kernel; null for current practice on the job's
/// hardware (on for A100, H100 and H200).
/// </param>
[GenerateSerializer, Immutable]
public sealed record AttentionSpec(
    [property: Id(0)] int? QueryGroups = null,
    [property: Id(1)] bool? Flash = null);
