using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Silo.Cluster;

/// <summary>Structural equality of inventories (records compare lists by reference).</summary>
internal static class InventoryComparer
{
    public static bool Same(InventorySnapshot a, InventorySnapshot b) =>
        a.Name == b.Name && a.Source == b.Source && a.Nodes.SequenceEqual(b.Nodes) && a.Links.SequenceEqual(b.Links);
}
