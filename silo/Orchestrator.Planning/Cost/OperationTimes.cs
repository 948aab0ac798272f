namespace Orchestrator.Planning.Cost;

/// <summary>Seconds of one piece of work, split by the kind of operation (one layer's forward pass of one micro-batch, say).</summary>
internal readonly record struct OperationTimes(
    double Gemm,
    double Attention,
    double Elementwise,
    double TensorCommunication,
    double ExpertCommunication,
    double ContextCommunication = 0,
    double Fp8Conversion = 0)
{
    public double Total => Gemm + Attention + Elementwise + TensorCommunication + ExpertCommunication + ContextCommunication + Fp8Conversion;

    public static OperationTimes operator +(OperationTimes a, OperationTimes b) => new(
        a.Gemm + b.Gemm,
        a.Attention + b.Attention,
        a.Elementwise + b.Elementwise,
        a.TensorCommunication + b.TensorCommunication,
        a.ExpertCommunication + b.ExpertCommunication,
        a.ContextCommunication + b.ContextCommunication,
        a.Fp8Conversion + b.Fp8Conversion);

    public static OperationTimes operator *(double factor, OperationTimes a) => new(
        factor * a.Gemm,
        factor * a.Attention,
        factor * a.Elementwise,
        factor * a.TensorCommunication,
        factor * a.ExpertCommunication,
        factor * a.ContextCommunication,
        factor * a.Fp8Conversion);
}
