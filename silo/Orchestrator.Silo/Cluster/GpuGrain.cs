using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Scheduling.Health;

namespace Orchestrator.Silo.Cluster;

/// <summary>
/// One device: its fault history decides its health (suspect after repeated faults, then failed), and every change
/// is pushed to the scheduler's index. A suspect device holds a persistent reminder due when its quiet period ends,
/// so it is trusted again then even across daemon restarts, without anyone having to ask.
/// </summary>
internal sealed class GpuGrain(
    [PersistentState("gpu", StorageNames.Durable)] IPersistentState<GpuRecord> store,
    IOptions<DeviceHealthOptions> options,
    TimeProvider time) : Grain, IGpuGrain, IRemindable
{
    private const string QuietPeriodReminder = "quiet-period";

    private string Id => this.GetPrimaryKeyString();

    private DeviceHealthTracker Tracker() => DeviceHealthTracker.Restore(store.State.Health is { } h ? [h] : [], options.Value);

    public Task<GpuHealth> GetHealthAsync() => Task.FromResult(Tracker().GetHealth(Id));

    public Task ReportFaultAsync(string jobId, int attempt, string reason) =>
        ApplyAsync(t => t.RecordFault(Id, time.GetUtcNow(), $"{jobId} attempt {attempt}: {reason}"));

    public Task SetHealthAsync(GpuHealth health, string reason) => health switch
    {
        GpuHealth.Draining => ApplyAsync(t => t.Drain(Id, time.GetUtcNow(), reason)),
        GpuHealth.Failed => ApplyAsync(t => t.MarkFailed(Id, time.GetUtcNow(), reason)),
        GpuHealth.Healthy => ApplyAsync(t => t.Reinstate(Id, time.GetUtcNow(), reason)),
        _ => throw new ArgumentException($"health can be set to Healthy, Draining or Failed, not {health}", nameof(health)),
    };

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        ApplyAsync(t => t.Advance(time.GetUtcNow()).SingleOrDefault(c => c.DeviceId == Id));

    private async Task ApplyAsync(Func<DeviceHealthTracker, DeviceHealthChange?> change)
    {
        var tracker = Tracker();
        var result = change(tracker);
        store.State.Health = tracker.Snapshot().SingleOrDefault(r => r.DeviceId == Id);
        await store.WriteStateAsync();
        await ScheduleQuietPeriodAsync(tracker.QuietUntil(Id));
        if (result is not null)
            await GrainFactory.GetGrain<ISchedulerGrain>("default").DeviceHealthChangedAsync(Id, result.To);
    }

    /// <summary>Keeps a reminder due at the end of the quiet period while the device is suspect; none otherwise.</summary>
    private async Task ScheduleQuietPeriodAsync(DateTimeOffset? quietUntil)
    {
        var existing = await this.GetReminder(QuietPeriodReminder);
        if (quietUntil is not { } until)
        {
            if (existing is not null) await this.UnregisterReminder(existing);
            return;
        }

        // Due when the period ends (a tick before then changes nothing), then every period until it has healed.
        var due = until - time.GetUtcNow();
        var period = options.Value.QuietPeriod;
        await this.RegisterOrUpdateReminder(QuietPeriodReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, period);
    }
}
