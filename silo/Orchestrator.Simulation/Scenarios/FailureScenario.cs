namespace Orchestrator.Simulation.Scenarios;

/// <summary>Device failures: a Poisson process per GPU.</summary>
/// <param name="PerGpuHour">Failures per GPU per hour. Default: Llama 3's 419 unexpected interruptions in 54 days on 16,384 GPUs.</param>
/// <param name="RepairSeconds">How long a failed device stays out of service.</param>
internal sealed record FailureScenario(double PerGpuHour = FailureScenario.Llama3PerGpuHour, double RepairSeconds = 3600)
{
    /// <summary>419 / (54 days × 24 h × 16,384 GPUs) ≈ 1.97e-5 failures per GPU-hour (Llama 3 report, section 3.3.4).</summary>
    public const double Llama3PerGpuHour = 419.0 / (54 * 24 * 16_384.0);
}
