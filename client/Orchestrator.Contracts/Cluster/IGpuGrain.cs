using Orleans.Concurrency;

namespace Orchestrator.Contracts.Cluster;

/// <summary>One device (key <c>node/index</c>): health, fault history and its current holder.</summary>
public interface IGpuGrain : IGrainWithStringKey
{
    /// <summary>Current health.</summary>
    Task<GpuHealth> GetHealthAsync();

    /// <summary>An attempt that ran on this device failed; enough of these make it suspect, then failed.</summary>
    Task ReportFaultAsync(string jobId, int attempt, string reason);

    /// <summary>Sets health by hand (operator drain, a fault injected for a drill, a device found healthy again).</summary>
    Task SetHealthAsync(GpuHealth health, string reason);

    /// <summary>Records which job holds the device (null when released).</summary>
    [OneWay]
    Task SetHolderAsync(string? jobId, int attempt);
}
