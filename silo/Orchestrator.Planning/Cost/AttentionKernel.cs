namespace Orchestrator.Planning.Cost;

/// <summary>
/// The shape that sets a fused attention kernel's measured rate: the head dimension, the keys each query tile iterates
/// over (the sequence length of the measurement it compares with), and the share of its FLOPs done under the causal
/// mask (the rest computes every pair of its tiles).
/// </summary>
internal readonly record struct AttentionKernel(int HeadDimension, double Keys, double CausalShare);
