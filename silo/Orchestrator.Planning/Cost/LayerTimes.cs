namespace Orchestrator.Planning.Cost;

/// <summary>
/// One layer, one micro-batch: the forward pass, the backward pass, and the part that selective recomputation
/// reruns (the attention core).
/// </summary>
internal readonly record struct LayerTimes(OperationTimes Forward, OperationTimes Backward, OperationTimes AttentionCore)
{
    /// <summary>The extra work recomputation adds before the backward pass, by mode.</summary>
    public OperationTimes Recompute(Model.RecomputeMode mode) => mode switch
    {
        Model.RecomputeMode.Full => Forward,
        Model.RecomputeMode.Selective => AttentionCore,
        _ => default,
    };
}
