namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>A node's devices as the scheduler knows them: its name, device type and device ids in index order.</summary>
internal sealed record ShareNodeDevices(string Name, string? GpuType, IReadOnlyList<string> DeviceIds);
