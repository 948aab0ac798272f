namespace Orchestrator.Planning.Memory;

/// <summary>Predicted device memory of the busiest GPU (the first pipeline stage) under one layout.</summary>
/// <param name="WeightBytes">16-bit weights (two versions under PipeDream-2BW).</param>
/// <param name="GradientBytes">16-bit gradients.</param>
/// <param name="OptimizerBytes">fp32 master weights and Adam moments, divided by the data-parallel size under ZeRO-1.</param>
/// <param name="ActivationBytes">Activations kept for the backward pass, for every micro-batch the schedule keeps in flight.</param>
/// <param name="CapacityBytes">Device memory the layout may use: the GPU's memory minus the reserve.</param>
public sealed record MemoryEstimate(
    double WeightBytes,
    double GradientBytes,
    double OptimizerBytes,
    double ActivationBytes,
    double CapacityBytes)
{
    private const double BytesPerGiB = 1024.0 * 1024 * 1024;

    /// <summary>All of the above.</summary>
    public double TotalBytes => WeightBytes + GradientBytes + OptimizerBytes + ActivationBytes;

    /// <summary><see cref="TotalBytes"/> in GiB.</summary>
    public double TotalGiB => TotalBytes / BytesPerGiB;

    /// <summary><see cref="CapacityBytes"/> in GiB.</summary>
    public double CapacityGiB => CapacityBytes / BytesPerGiB;

    /// <summary>Whether the layout fits the device with the reserve kept free.</summary>
    public bool Fits => TotalBytes <= CapacityBytes;
}
