namespace Orchestrator.Planning.Model;

/// <summary>What one training iteration consumes and how its communication is scheduled, independent of the layout.</summary>
/// <param name="GlobalBatch">Sequences per iteration (B), across all data-parallel replicas.</param>
/// <param name="OverlapGradientReduce">
/// Whether the data-parallel gradient reduction overlaps the backward pass (Megatron-LM <c>--overlap-grad-reduce</c>,
/// 2023 on). The 2021–2022 published runs ran without it.
/// </param>
/// <param name="OverlapParameterGather">
/// Whether the distributed optimizer's parameter all-gather overlaps the next forward pass (Megatron-LM
/// <c>--overlap-param-gather</c>); without it the gather follows the optimizer step on the critical path.
/// </param>
/// <param name="OverlapTensorCommunication">
/// Whether tensor-parallel all-gathers and reduce-scatters overlap the GEMMs that consume or produce them
/// (Transformer Engine userbuffers, <c>--tp-comm-overlap</c>); null for current practice on the device
/// (<see cref="Hardware.GpuModel.OverlapsTensorCommunication"/>).
/// </param>
/// <param name="Fp32MainGradients">
/// Gradients accumulate and are reduced in FP32 "main gradient" buffers (Megatron-LM's default under BF16,
/// <c>--accumulate-allreduce-grads-in-fp32</c>); false keeps and reduces them in 16 bits, as the 2021–2022 FP16 runs did.
/// </param>
public sealed record TrainingShape(
    int GlobalBatch,
    bool OverlapGradientReduce = true,
    bool OverlapParameterGather = true,
    bool? OverlapTensorCommunication = null,
    bool Fp32MainGradients = true)
{
    /// <summary>Bytes of one gradient element in the buffers the data-parallel reduction moves.</summary>
    public int GradientBytes => Fp32MainGradients ? 4 : 2;

    /// <summary>Whether tensor-parallel communication is overlapped (an unresolved null counts as not).</summary>
    internal bool OverlapsTensorCommunication => OverlapTensorCommunication == true;

    /// <summary>The shape with every "current practice" default (null) settled for <paramref name="gpu"/>.</summary>
    public TrainingShape ResolvedFor(Hardware.GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return OverlapTensorCommunication is null ? this with { OverlapTensorCommunication = gpu.OverlapsTensorCommunication } : this;
    }

    /// <summary>Checks the shape.</summary>
    /// <returns>An error naming the field, or null.</returns>
    public string? Validate() =>
        GlobalBatch < 1 ? $"training.globalBatch must be at least 1, got {GlobalBatch}" : null;
}
