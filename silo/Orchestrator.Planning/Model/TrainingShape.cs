namespace Orchestrator.Planning.Model;

/// <summary>What one training iteration consumes, independent of how it is parallelised.</summary>
/// <param name="GlobalBatch">Sequences per iteration (B), across all data-parallel replicas.</param>
/// <param name="OverlapGradientReduce">
/// Whether the data-parallel gradient reduction overlaps the last micro-batch's backward pass (Megatron-LM
/// <c>--overlap-grad-reduce</c>, 2023 on). The 2021–2022 measurements in <c>shared/anchors</c> ran without it.
/// </param>
public sealed record TrainingShape(int GlobalBatch, bool OverlapGradientReduce = true)
{
    /// <summary>Checks the shape.</summary>
    /// <returns>An error naming the field, or null.</returns>
    public string? Validate() =>
        GlobalBatch < 1 ? $"training.globalBatch must be at least 1, got {GlobalBatch}" : null;
}
