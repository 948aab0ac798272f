namespace Orchestrator.Checkpoints.Manifest;

/// <summary>Element type of a checkpointed tensor. The store only needs its size; the workloads map it to torch types.</summary>
public enum TensorDataType
{
    /// <summary>32-bit IEEE float.</summary>
    Float32,

    /// <summary>16-bit IEEE float.</summary>
    Float16,

    /// <summary>bfloat16: float32's exponent with a 7-bit mantissa.</summary>
    BFloat16,

    /// <summary>64-bit IEEE float.</summary>
    Float64,

    /// <summary>8-bit signed integer.</summary>
    Int8,

    /// <summary>8-bit unsigned integer (also raw bytes).</summary>
    UInt8,

    /// <summary>32-bit signed integer.</summary>
    Int32,

    /// <summary>64-bit signed integer.</summary>
    Int64,

    /// <summary>One byte per boolean, as torch stores them.</summary>
    Bool,
}
