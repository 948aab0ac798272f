using Orleans.Concurrency;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Cluster;

/// <summary>The cluster (key <c>default</c>): the node registry and the inventory the scheduler plans on.</summary>
public interface IClusterGrain : IGrainWithStringKey
{
    /// <summary>Replaces the inventory (on daemon start, or when discovery sees a change). Returns true if it changed.</summary>
    [Access(AccessScope.Role, Role.Operator, Audited = true)]
    Task<bool> ApplyInventoryAsync(InventorySnapshot inventory);

    /// <summary>The current inventory, or null before the first one.</summary>
    [Access(AccessScope.Role, Role.User)]
    [AlwaysInterleave]
    Task<InventorySnapshot?> GetInventoryAsync();
}
