using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Cluster;

/// <summary>The node registry: the inventory the scheduler plans on, persisted so a restarted daemon still knows it.</summary>
internal sealed class ClusterGrain(
    [PersistentState("cluster", StorageNames.Durable)] IPersistentState<ClusterRecord> store) : Grain, IClusterGrain
{
    public async Task<bool> ApplyInventoryAsync(InventorySnapshot inventory)
    {
        if (store.State.Inventory is { } current && InventoryComparer.Same(current, inventory)) return false;
        store.State.Inventory = inventory;
        await store.WriteStateAsync();
        await GrainFactory.GetGrain<ISchedulerGrain>("default").InventoryChangedAsync();
        return true;
    }

    public Task<InventorySnapshot?> GetInventoryAsync() => Task.FromResult(store.State.Inventory);
}
