using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Result of an MoE layer: the combined expert outputs (same shape as the input; add the residual outside) and the
/// router's regularisers.
/// </summary>
/// <param name="Output">Sum over a token's kept assignments of gate weight times expert output; zeros for a fully dropped token.</param>
/// <param name="AuxiliaryLoss">Unweighted load-balancing loss (see <see cref="RouterOutput.AuxiliaryLoss"/>).</param>
/// <param name="ZLoss">Unweighted router z-loss.</param>
/// <param name="RegularizationLoss">AuxiliaryLossCoefficient * AuxiliaryLoss + ZLossCoefficient * ZLoss: add it to the training loss.</param>
/// <param name="Statistics">Routing, dropping and padding counts of this pass.</param>
public sealed record MoeOutput(Tensor Output, Tensor AuxiliaryLoss, Tensor ZLoss, Tensor RegularizationLoss, MoeDispatchStatistics Statistics);
