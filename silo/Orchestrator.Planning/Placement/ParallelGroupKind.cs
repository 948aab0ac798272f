namespace Orchestrator.Planning.Placement;

/// <summary>The kinds of communicating rank groups a parallel layout forms.</summary>
public enum ParallelGroupKind
{
    /// <summary>Ranks that split each layer's matrices; all-reduce every layer.</summary>
    Tensor,

    /// <summary>The stages of one model replica; point-to-point activations between neighbours.</summary>
    Pipeline,

    /// <summary>Replicas of one stage; gradient all-reduce once per step.</summary>
    Data,

    /// <summary>Data-parallel ranks that split the experts of an MoE layer; all-to-all twice per MoE layer.</summary>
    Expert,
}
