namespace Orchestrator.Kernels.Communication.Gloo;

/// <summary>Element types the shim's all-reduce knows, numbered as in <c>gloo_shim.cpp</c>.</summary>
internal enum GlooDataType
{
    Float32 = 0,
    Float64 = 1,
    Int32 = 2,
    Int64 = 3,
    UInt8 = 4,
    Int8 = 5,
}
