using Orchestrator.Silo.Scheduling.Health;

namespace Orchestrator.Silo.Cluster;

/// <summary>The persisted state of one device: its health record and holder.</summary>
[GenerateSerializer]
internal sealed class GpuRecord
{
    [Id(0)] public DeviceHealthRecord? Health { get; set; }

    [Id(1)] public string? JobId { get; set; }

    [Id(2)] public int Attempt { get; set; }
}
