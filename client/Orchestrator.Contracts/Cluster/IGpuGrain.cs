using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Cluster;

/// <summary>
/// One device (key <c>node/index</c>): health and fault history. Which job holds it is the scheduler's record
/// (<see cref="Scheduling.ISchedulerGrain.GetClusterViewAsync"/>), so a gang start writes one grain, not one per device.
/// </summary>
public interface IGpuGrain : IGrainWithStringKey
{
    /// <summary>Current health.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<GpuHealth> GetHealthAsync();

    /// <summary>An attempt that ran on this device failed; enough of these make it suspect, then failed.</summary>
    [Access(AccessScope.Internal)]
    Task ReportFaultAsync(string jobId, int attempt, string reason);

    /// <summary>Sets health by hand (operator drain, a fault injected for a drill, a device found healthy again).</summary>
    [Access(AccessScope.Role, Role.Operator, Audited = true)]
    Task SetHealthAsync(GpuHealth health, string reason);

}
