namespace Orchestrator.Contracts.Jobs;

/// <summary>Mixture-of-Experts layers of a GPT: every <see cref="Every"/>-th layer routes tokens to <see cref="TopK"/> of <see cref="Experts"/>.</summary>
/// <param name="Experts">Experts per MoE layer.</param>
/// <param name="TopK">Experts each token is routed to (1 or 2).</param>
/// <param name="Every">An MoE layer every this many layers.</param>
/// <param name="CapacityFactor">Capacity factor; null means dropless (no token is dropped).</param>
[GenerateSerializer, Immutable]
public sealed record MixtureOfExpertsSpec(
    [property: Id(0)] int Experts,
    [property: Id(1)] int TopK = 2,
    [property: Id(2)] int Every = 1,
    [property: Id(3)] double? CapacityFactor = null);
