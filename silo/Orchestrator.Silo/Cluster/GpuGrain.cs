using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Scheduling.Health;

namespace Orchestrator.Silo.Cluster;

/// <summary>
/// One device: its fault history decides its health (suspect after repeated faults, then failed), and every change
/// is pushed to the scheduler's index.
/// </summary>
internal sealed class GpuGrain(
    [PersistentState("gpu", StorageNames.Durable)] IPersistentState<GpuRecord> store,
    TimeProvider time) : Grain, IGpuGrain
{
    private string Id => this.GetPrimaryKeyString();

    private DeviceHealthTracker Tracker() => DeviceHealthTracker.Restore(store.State.Health is { } h ? [h] : []);

    public Task<GpuHealth> GetHealthAsync() => Task.FromResult(Tracker().GetHealth(Id));

    public Task ReportFaultAsync(string jobId, int attempt, string reason) =>
        ApplyAsync(t => t.RecordFault(Id, time.GetUtcNow(), $"{jobId} attempt {attempt}: {reason}"));

    public Task SetHealthAsync(GpuHealth health, string reason) => health switch
    {
        GpuHealth.Draining => ApplyAsync(t => t.Drain(Id, time.GetUtcNow(), reason)),
        GpuHealth.Failed => ApplyAsync(t => t.MarkFailed(Id, time.GetUtcNow(), reason)),
        GpuHealth.Healthy => ApplyAsync(t => t.GetHealth(Id) == GpuHealth.Failed
            ? t.MarkRepaired(Id, time.GetUtcNow(), reason)
            : t.Undrain(Id, time.GetUtcNow(), reason)),
        _ => throw new ArgumentException($"health can be set to Healthy, Draining or Failed, not {health}", nameof(health)),
    };

    private async Task ApplyAsync(Func<DeviceHealthTracker, DeviceHealthChange?> change)
    {
        var tracker = Tracker();
        var result = change(tracker);
        store.State.Health = tracker.Snapshot().SingleOrDefault(r => r.DeviceId == Id);
        await store.WriteStateAsync();
        if (result is not null)
            await GrainFactory.GetGrain<ISchedulerGrain>("default").DeviceHealthChangedAsync(Id, result.To);
    }
}
