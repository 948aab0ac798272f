using Orchestrator.Contracts.Cluster;
using Orchestrator.Silo.Scheduling.Health;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling;

public sealed class DeviceHealthTrackerTests
{
    private const string Device = "n0/3";

    private static readonly DeviceHealthOptions Options = new()
    {
        SuspectAfterFaults = 2,
        FailedAfterFaults = 4,
        FaultWindow = TimeSpan.FromHours(1),
        QuietPeriod = TimeSpan.FromHours(6),
    };

    private readonly DeviceHealthTracker _tracker = new(Options);

    [Fact]
    public void An_unknown_device_is_healthy_and_placeable()
    {
        Assert.Equal(GpuHealth.Healthy, _tracker.GetHealth(Device));
        Assert.True(_tracker.IsPlaceable(Device));
    }

    [Fact]
    public void Repeated_faults_within_the_window_make_a_device_suspect_then_failed()
    {
        Assert.Null(_tracker.RecordFault(Device, T0, "worker exited"));
        var suspect = _tracker.RecordFault(Device, T0.AddMinutes(10), "worker exited");
        Assert.Equal((GpuHealth.Healthy, GpuHealth.Suspect), (suspect!.From, suspect.To));
        Assert.True(_tracker.IsPlaceable(Device));
        Assert.Contains(Device, _tracker.SuspectDevices);

        Assert.Null(_tracker.RecordFault(Device, T0.AddMinutes(20), "worker exited"));
        var failed = _tracker.RecordFault(Device, T0.AddMinutes(30), "worker exited");

        Assert.Equal((GpuHealth.Suspect, GpuHealth.Failed), (failed!.From, failed.To));
        Assert.False(_tracker.IsPlaceable(Device));
        Assert.Contains(Device, _tracker.UnplaceableDevices);
    }

    [Fact]
    public void Faults_further_apart_than_the_window_do_not_make_a_device_suspect()
    {
        _tracker.RecordFault(Device, T0, "heartbeat lost");
        _tracker.RecordFault(Device, T0.AddMinutes(61), "heartbeat lost");

        Assert.Equal(GpuHealth.Healthy, _tracker.GetHealth(Device));
    }

    [Fact]
    public void A_suspect_device_that_keeps_faulting_slowly_still_fails()
    {
        MakeSuspect();
        for (var hour = 2; hour <= 3; hour++)
        {
            _tracker.RecordFault(Device, T0.AddHours(hour), "worker exited");
        }

        Assert.Equal(GpuHealth.Failed, _tracker.GetHealth(Device));
    }

    [Fact]
    public void A_quiet_suspect_device_becomes_healthy_again()
    {
        MakeSuspect();

        Assert.Empty(_tracker.Advance(T0.AddMinutes(10) + TimeSpan.FromHours(5)));
        var change = Assert.Single(_tracker.Advance(T0.AddMinutes(10) + TimeSpan.FromHours(6)));

        Assert.Equal((GpuHealth.Suspect, GpuHealth.Healthy), (change.From, change.To));
        Assert.Equal(GpuHealth.Healthy, _tracker.GetHealth(Device));
    }

    [Fact]
    public void A_fault_after_the_quiet_period_counts_from_a_clean_slate()
    {
        MakeSuspect();

        var change = _tracker.RecordFault(Device, T0.AddHours(7), "worker exited");

        Assert.Equal((GpuHealth.Suspect, GpuHealth.Healthy), (change!.From, change.To));
        Assert.Null(_tracker.RecordFault(Device, T0.AddHours(8).AddMinutes(1), "worker exited"));
        Assert.Equal(GpuHealth.Healthy, _tracker.GetHealth(Device));
    }

    [Fact]
    public void A_failed_device_stays_failed_however_quiet_until_repaired()
    {
        for (var i = 0; i < 4; i++)
        {
            _tracker.RecordFault(Device, T0.AddMinutes(i), "device lost");
        }

        Assert.Empty(_tracker.Advance(T0.AddDays(30)));
        Assert.Equal(GpuHealth.Failed, _tracker.GetHealth(Device));

        var repaired = _tracker.MarkRepaired(Device, T0.AddDays(30), "board replaced");

        Assert.Equal((GpuHealth.Failed, GpuHealth.Healthy), (repaired!.From, repaired.To));
        Assert.Null(_tracker.RecordFault(Device, T0.AddDays(30).AddMinutes(1), "worker exited"));
    }

    [Fact]
    public void Only_a_failed_device_can_be_marked_repaired()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _tracker.MarkRepaired(Device, T0, "nothing wrong"));
        Assert.Contains("not failed", error.Message);
    }

    [Fact]
    public void A_drained_device_is_not_placeable_and_returns_to_its_fault_condition_when_undrained()
    {
        MakeSuspect();

        var drained = _tracker.Drain(Device, T0.AddMinutes(20), "maintenance");
        Assert.Equal((GpuHealth.Suspect, GpuHealth.Draining), (drained!.From, drained.To));
        Assert.False(_tracker.IsPlaceable(Device));

        var undrained = _tracker.Undrain(Device, T0.AddMinutes(30), "maintenance done");
        Assert.Equal((GpuHealth.Draining, GpuHealth.Suspect), (undrained!.From, undrained.To));
    }

    [Fact]
    public void A_draining_device_that_fails_shows_as_failed()
    {
        _tracker.Drain(Device, T0, "maintenance");
        for (var i = 0; i < 3; i++)
        {
            _tracker.RecordFault(Device, T0.AddMinutes(i), "device lost");
        }

        var failed = _tracker.RecordFault(Device, T0.AddMinutes(3), "device lost");

        Assert.Equal((GpuHealth.Draining, GpuHealth.Failed), (failed!.From, failed.To));
    }

    [Fact]
    public void A_snapshot_restores_every_device_state()
    {
        MakeSuspect();
        _tracker.Drain("n1/0", T0, "maintenance");

        var restored = DeviceHealthTracker.Restore(_tracker.Snapshot(), Options);

        Assert.Equal(GpuHealth.Suspect, restored.GetHealth(Device));
        Assert.Equal(GpuHealth.Draining, restored.GetHealth("n1/0"));
        Assert.Equal(GpuHealth.Failed, Fail(restored));
    }

    [Fact]
    public void Thresholds_out_of_order_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceHealthTracker(Options with { FailedAfterFaults = 1 }));
        Assert.Contains("deviceHealth.failedAfterFaults", error.Message);
    }

    private void MakeSuspect()
    {
        _tracker.RecordFault(Device, T0, "worker exited");
        _tracker.RecordFault(Device, T0.AddMinutes(10), "worker exited");
        Assert.Equal(GpuHealth.Suspect, _tracker.GetHealth(Device));
    }

    private static GpuHealth Fail(DeviceHealthTracker tracker)
    {
        tracker.RecordFault(Device, T0.AddMinutes(11), "worker exited");
        tracker.RecordFault(Device, T0.AddMinutes(12), "worker exited");
        return tracker.GetHealth(Device);
    }
}
