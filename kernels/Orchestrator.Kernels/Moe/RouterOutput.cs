using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// What the router decided for a batch of N tokens over E experts with top-k gating.
/// </summary>
/// <param name="ExpertIndices">[N, k] int64: the chosen experts per token, best first; ties go to the lower index.</param>
/// <param name="GateWeights">[N, k]: the combine weights (k = 1: the top probability; k = 2: the two renormalised to sum 1).</param>
/// <param name="Probabilities">[N, E]: the softmax over all experts.</param>
/// <param name="AuxiliaryLoss">Scalar Switch/GShard load-balancing loss E * sum_e f_e * P_e (1 when perfectly balanced).</param>
/// <param name="ZLoss">Scalar router z-loss mean_n (logsumexp_e logits[n, e])^2.</param>
public sealed record RouterOutput(Tensor ExpertIndices, Tensor GateWeights, Tensor Probabilities, Tensor AuxiliaryLoss, Tensor ZLoss);
