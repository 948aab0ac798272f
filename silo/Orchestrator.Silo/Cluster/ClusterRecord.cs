using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Silo.Cluster;

/// <summary>The persisted inventory.</summary>
[GenerateSerializer]
internal sealed class ClusterRecord
{
    [Id(0)] public InventorySnapshot? Inventory { get; set; }
}
