namespace Orchestrator.Contracts.Cluster;

/// <summary>
/// Health of one device as the scheduler sees it. Healthy and suspect devices are offered to placement (suspect ones
/// only when nothing healthy fits); failed and draining devices are not.
/// </summary>
[GenerateSerializer]
public enum GpuHealth
{
    /// <summary>No recent faults; offered to placement.</summary>
    Healthy = 0,

    /// <summary>Attempts on it failed several times recently; still offered, but used only when nothing healthy fits.
    /// Becomes healthy again after a quiet period without faults.</summary>
    Suspect = 1,

    /// <summary>Failed repeatedly; never offered to placement until an operator marks it repaired.</summary>
    Failed = 2,

    /// <summary>Taken out of service by an operator: jobs on it may finish, nothing new is placed on it.</summary>
    Draining = 3,
}
