using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Silo.Scheduling.Health;

/// <summary>A device's effective health changed; the GpuGrain records it as an event and tells the scheduler.</summary>
internal sealed record DeviceHealthChange(string DeviceId, GpuHealth From, GpuHealth To, DateTimeOffset At, string Reason);
