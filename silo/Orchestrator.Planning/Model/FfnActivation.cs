namespace Orchestrator.Planning.Model;

/// <summary>The feed-forward block's activation, which fixes how many matrices it has.</summary>
public enum FfnActivation
{
    /// <summary>GeLU: two matrices (h → f, f → h), the GPT-2/GPT-3 and Megatron-LM 2021–2022 block.</summary>
    Gelu = 0,

    /// <summary>SwiGLU: a gate and an up projection (h → f each) and a down projection (f → h), as in Llama.</summary>
    Swiglu = 1,
}
