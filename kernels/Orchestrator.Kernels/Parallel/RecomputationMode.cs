namespace Orchestrator.Kernels.Parallel;

/// <summary>Which activations a layer drops in the forward pass and recomputes in the backward pass.</summary>
public enum RecomputationMode
{
    /// <summary>Keep every activation.</summary>
    None,

    /// <summary>Recompute only the attention core (scores, softmax, weighted values): large, cheap to redo (Korthikanti et al.).</summary>
    Selective,

    /// <summary>Keep only each layer's input and recompute the whole layer.</summary>
    Full,
}
