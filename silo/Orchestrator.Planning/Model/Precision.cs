namespace Orchestrator.Planning.Model;

/// <summary>The number format of the matrix multiplications; weights and activations are kept in 16 bits in every case.</summary>
public enum Precision
{
    /// <summary>bfloat16 mixed precision (fp32 master weights and optimizer state).</summary>
    Bf16 = 0,

    /// <summary>float16 mixed precision with loss scaling, as in the Megatron-LM papers.</summary>
    Fp16 = 1,

    /// <summary>FP8 matrix multiplications (Transformer Engine) on devices that have FP8 tensor cores; 16-bit elsewhere.</summary>
    Fp8 = 2,
}
