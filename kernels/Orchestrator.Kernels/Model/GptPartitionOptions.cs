using Orchestrator.Kernels.Parallel;

namespace Orchestrator.Kernels.Model;

/// <summary>How one rank's part of the GPT is built, beyond the grid itself.</summary>
/// <param name="VirtualStages">Model chunks per pipeline rank (interleaved 1F1B); 1 when not interleaved.</param>
/// <param name="SequenceParallel">Split layer norms, dropout-free residuals and the activations between blocks along the sequence across the tensor-parallel group.</param>
/// <param name="Recomputation">Which activations are recomputed in the backward pass.</param>
public sealed record GptPartitionOptions(
    int VirtualStages = 1,
    bool SequenceParallel = false,
    RecomputationMode Recomputation = RecomputationMode.None);
