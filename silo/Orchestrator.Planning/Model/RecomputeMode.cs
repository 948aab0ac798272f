namespace Orchestrator.Planning.Model;

/// <summary>Which activations are recomputed in the backward pass instead of being kept (Korthikanti et al. 2022).</summary>
public enum RecomputeMode
{
    /// <summary>Every activation is kept.</summary>
    None = 0,

    /// <summary>Only the attention core (QKᵀ, softmax, dropout, attention over V) is recomputed.</summary>
    Selective = 1,

    /// <summary>Only each layer's input is kept; the whole forward pass of the layer is rerun before its backward.</summary>
    Full = 2,
}
