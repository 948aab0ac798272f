using Orchestrator.Silo.Scheduling.Health;

namespace Orchestrator.Silo.Cluster;

/// <summary>The persisted state of one device: its health record.</summary>
[GenerateSerializer]
internal sealed class GpuRecord
{
    [Id(0)] public DeviceHealthRecord? Health { get; set; }

}
