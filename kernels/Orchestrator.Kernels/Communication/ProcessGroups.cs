namespace Orchestrator.Kernels.Communication;

/// <summary>One rank's communicators for every group of the grid it belongs to.</summary>
/// <param name="Grid">The grid.</param>
/// <param name="GlobalRank">This rank's world rank.</param>
/// <param name="World">All ranks.</param>
/// <param name="Tensor">Ranks with the same pipeline stage and data replica (split each layer).</param>
/// <param name="Pipeline">Ranks with the same tensor and data index (the stages of one pipeline).</param>
/// <param name="Data">Ranks with the same tensor index and stage (replicas whose gradients are averaged).</param>
/// <param name="ModelParallel">Ranks with the same data replica (together they hold one full model).</param>
/// <param name="Expert">Consecutive data-parallel ranks that split an MoE layer's experts.</param>
/// <param name="ExpertData">Ranks holding the same experts: expert gradients are averaged here instead of in Data.</param>
/// <param name="Embedding">First and last pipeline stage with the same tensor and data index (the tied word embedding); one rank when there is one stage.</param>
public sealed record ProcessGroups(
    ParallelGrid Grid,
    int GlobalRank,
    ICommunicator World,
    ICommunicator Tensor,
    ICommunicator Pipeline,
    ICommunicator Data,
    ICommunicator ModelParallel,
    ICommunicator Expert,
    ICommunicator ExpertData,
    ICommunicator Embedding)
{
    /// <summary>This rank's grid position.</summary>
    public RankCoordinates Coordinates => Grid.CoordinatesOf(GlobalRank);

    /// <summary>True on the first pipeline stage.</summary>
    public bool IsFirstStage => Coordinates.Pipeline == 0;

    /// <summary>True on the last pipeline stage.</summary>
    public bool IsLastStage => Coordinates.Pipeline == Grid.PipelineParallelSize - 1;
}
