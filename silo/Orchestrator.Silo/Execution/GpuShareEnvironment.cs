using System.Globalization;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Execution;

/// <summary>
/// What a GPU share (<c>resources.gpuFraction</c>) tells its workload, on every backend: its fraction of the device
/// (<c>ORCH_GPU_FRACTION</c>) and, where the device is shared by CUDA MPS, the fraction as the client's limit on the
/// device's streaming multiprocessors (<c>CUDA_MPS_ACTIVE_THREAD_PERCENTAGE</c>, which the MPS server applies to the
/// process; without an MPS server CUDA ignores it). Whole-device jobs get neither.
/// </summary>
internal static class GpuShareEnvironment
{
    public const string FractionVariable = "ORCH_GPU_FRACTION";
    public const string MpsThreadPercentageVariable = "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE";

    /// <summary>The share's variables; empty for a whole-device job.</summary>
    /// <param name="spec">The job's spec.</param>
    /// <param name="mps">Whether to set the MPS thread percentage.</param>
    public static IReadOnlyDictionary<string, string> For(TrainingJobSpec spec, bool mps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.Resources.GpuMilli is not { } milli) return variables;
        variables[FractionVariable] = (milli / (double)GpuShareRules.Milli).ToString("0.###", CultureInfo.InvariantCulture);
        // Whole percent, rounded up so a share never gets less than it was packed for (0.255 of a device: 26%).
        if (mps) variables[MpsThreadPercentageVariable] = ((milli + 9) / 10).ToString(CultureInfo.InvariantCulture);
        return variables;
    }
}
