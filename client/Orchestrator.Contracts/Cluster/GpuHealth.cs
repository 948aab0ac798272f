namespace Orchestrator.Contracts.Cluster;

/// <summary>Health of one device as the control plane judges it.</summary>
[GenerateSerializer]
public enum GpuHealth
{
    /// <summary>In service.</summary>
    Healthy = 0,

    /// <summary>Attempts on it failed recently; used only when nothing healthy fits.</summary>
    Suspect = 1,

    /// <summary>Failed repeatedly or marked failed; never placed on.</summary>
    Failed = 2,

    /// <summary>Taken out of service by an operator; running work finishes, nothing new is placed.</summary>
    Draining = 3,
}
