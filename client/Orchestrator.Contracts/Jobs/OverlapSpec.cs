namespace Orchestrator.Contracts.Jobs;

/// <summary>Which communication runs under computation; null everywhere for current practice on the job's hardware.</summary>
/// <param name="GradReduce">The data-parallel gradient reduce overlaps the backward pass (default on).</param>
/// <param name="ParamGather">The distributed optimizer's parameter all-gather overlaps the next forward pass (default on).</param>
/// <param name="Tensor">Tensor-parallel all-gathers and reduce-scatters overlap the GEMMs next to them (default: on H100/H200).</param>
[GenerateSerializer, Immutable]
public sealed record OverlapSpec(
    [property: Id(0)] bool? GradReduce = null,
    [property: Id(1)] bool? ParamGather = null,
    [property: Id(2)] bool? Tensor = null);
