using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Silo.Scheduling.Health;

/// <summary>
/// Fault accounting per device. A healthy device becomes <see cref="GpuHealth.Suspect"/> after
/// <see cref="DeviceHealthOptions.SuspectAfterFaults"/> faults within the window and <see cref="GpuHealth.Failed"/>
/// after <see cref="DeviceHealthOptions.FailedAfterFaults"/>; a suspect device is healthy again after a quiet period,
/// a failed one only when an operator marks it repaired. Draining is an operator's flag on top. Failed and draining
/// devices are never offered to placement; suspect ones only when nothing else fits. Devices never seen are healthy.
/// </summary>
internal sealed class DeviceHealthTracker
{
    private readonly DeviceHealthOptions _options;
    private readonly Dictionary<string, DeviceHealthRecord> _devices = new(StringComparer.Ordinal);

    public DeviceHealthTracker(DeviceHealthOptions? options = null)
    {
        _options = options ?? DeviceHealthOptions.Default;
        _options.Validate();
    }

    public GpuHealth GetHealth(string deviceId) => _devices.TryGetValue(deviceId, out var record) ? record.Effective : GpuHealth.Healthy;

    /// <summary>Healthy and suspect devices may be placed on; failed and draining ones may not.</summary>
    public bool IsPlaceable(string deviceId) => GetHealth(deviceId) is GpuHealth.Healthy or GpuHealth.Suspect;

    /// <summary>Devices to use only when nothing else fits (the scheduling pass's soft avoid).</summary>
    public IReadOnlySet<string> SuspectDevices => DevicesIn(GpuHealth.Suspect);

    /// <summary>Devices never to offer to placement: failed or draining.</summary>
    public IReadOnlySet<string> UnplaceableDevices =>
        _devices.Values.Where(r => r.Effective is GpuHealth.Failed or GpuHealth.Draining).Select(r => r.DeviceId).ToHashSet(StringComparer.Ordinal);

    /// <summary>Counts a fault an attempt on this device ran into.</summary>
    /// <returns>The change of effective health, or null when it stays the same.</returns>
    public DeviceHealthChange? RecordFault(string deviceId, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = Get(deviceId, at);
        if (before.Condition == GpuHealth.Failed)
        {
            // Already out of service; more faults change nothing until it is repaired.
            return null;
        }

        // A suspect device that has been quiet long enough is healthy before this fault is counted.
        var recovered = Recovered(before, at);
        var record = recovered ?? before;
        var faults = record.Faults.Append(at).Order().ToList();
        var condition = record.Condition;
        if (condition == GpuHealth.Healthy)
        {
            faults = faults.Where(t => t > at - _options.FaultWindow).ToList();
        }

        if (faults.Count >= _options.FailedAfterFaults)
        {
            condition = GpuHealth.Failed;
        }
        else if (condition == GpuHealth.Healthy && faults.Count >= _options.SuspectAfterFaults)
        {
            condition = GpuHealth.Suspect;
        }

        var since = condition == record.Condition ? record.Since : at;
        var after = record with { Condition = condition, Faults = faults, Since = since };
        var quiet = recovered is not null ? "quiet period passed, then " : "";
        return Store(before, after, at, $"{quiet}{reason} ({Describe(faults.Count, condition)})");
    }

    /// <summary>Applies the passage of time: suspect devices quiet for the quiet period become healthy.</summary>
    public IReadOnlyList<DeviceHealthChange> Advance(DateTimeOffset now)
    {
        var changes = new List<DeviceHealthChange>();

        // Healthy, undrained devices whose faults all left the window are back to the default: forget them.
        foreach (var record in _devices.Values.Where(r => r is { Condition: GpuHealth.Healthy, Draining: false }).ToList())
        {
            if (record.Faults.All(t => t <= now - _options.FaultWindow))
            {
                _devices.Remove(record.DeviceId);
            }
        }

        foreach (var record in _devices.Values.Where(r => r.Condition == GpuHealth.Suspect).ToList())
        {
            if (Recovered(record, now) is { } recovered && Store(record, recovered, now, "no faults for the quiet period") is { } change)
            {
                changes.Add(change);
            }
        }

        return changes;
    }

    /// <summary>An operator takes the device out of service: nothing new is placed on it.</summary>
    public DeviceHealthChange? Drain(string deviceId, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = Get(deviceId, at);
        return Store(before, before with { Draining = true }, at, reason);
    }

    /// <summary>An operator puts a drained device back in service; its fault condition is kept.</summary>
    public DeviceHealthChange? Undrain(string deviceId, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = Get(deviceId, at);
        return Store(before, before with { Draining = false }, at, reason);
    }

    /// <summary>A device is declared failed at once (an operator, a device plugin, or an injected fault for a drill).</summary>
    public DeviceHealthChange? MarkFailed(string deviceId, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = Get(deviceId, at);
        return Store(before, before with { Condition = GpuHealth.Failed, Since = at }, at, reason);
    }

    /// <summary>An operator declares a failed device repaired: healthy, its faults forgotten.</summary>
    /// <exception cref="InvalidOperationException">The device is not failed.</exception>
    public DeviceHealthChange? MarkRepaired(string deviceId, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = Get(deviceId, at);
        if (before.Condition != GpuHealth.Failed)
        {
            throw new InvalidOperationException($"device {deviceId} is {before.Condition}, not failed; only a failed device can be marked repaired");
        }

        return Store(before, before with { Condition = GpuHealth.Healthy, Faults = [], Since = at }, at, reason);
    }

    /// <summary>An operator puts a device back in service whatever its state: undrained, healthy, its faults forgotten.</summary>
    public DeviceHealthChange? Reinstate(string deviceId, DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var before = Get(deviceId, at);
        return Store(before, before with { Condition = GpuHealth.Healthy, Draining = false, Faults = [], Since = at }, at, reason);
    }

    /// <summary>When the quiet period of <paramref name="deviceId"/> ends if no fault comes first; null unless it is suspect.</summary>
    public DateTimeOffset? QuietUntil(string deviceId) =>
        _devices.TryGetValue(deviceId, out var record) && record.Condition == GpuHealth.Suspect
            ? (record.Faults.Count > 0 ? record.Faults[^1] : record.Since) + _options.QuietPeriod
            : null;

    /// <summary>The devices with any non-default state, for persistence.</summary>
    public IReadOnlyList<DeviceHealthRecord> Snapshot() =>
        _devices.Values.OrderBy(r => r.DeviceId, StringComparer.Ordinal).ToList();

    public static DeviceHealthTracker Restore(IEnumerable<DeviceHealthRecord> records, DeviceHealthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tracker = new DeviceHealthTracker(options);
        foreach (var record in records)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(record.DeviceId);
            if (record.Condition is not (GpuHealth.Healthy or GpuHealth.Suspect or GpuHealth.Failed))
            {
                throw new ArgumentException($"device {record.DeviceId}: condition must be healthy, suspect or failed (draining is a flag), got {record.Condition}", nameof(records));
            }

            if (!tracker._devices.TryAdd(record.DeviceId, record with { Faults = record.Faults.Order().ToList() }))
            {
                throw new ArgumentException($"device {record.DeviceId} is listed twice in the health snapshot", nameof(records));
            }
        }

        return tracker;
    }

    private DeviceHealthRecord Get(string deviceId, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        return _devices.TryGetValue(deviceId, out var record)
            ? record
            : new DeviceHealthRecord(deviceId, GpuHealth.Healthy, false, [], at);
    }

    private DeviceHealthRecord? Recovered(DeviceHealthRecord record, DateTimeOffset now)
    {
        if (record.Condition != GpuHealth.Suspect)
        {
            return null;
        }

        var lastFault = record.Faults.Count > 0 ? record.Faults[^1] : record.Since;
        return now - lastFault >= _options.QuietPeriod
            ? record with { Condition = GpuHealth.Healthy, Faults = [], Since = now }
            : null;
    }

    private DeviceHealthChange? Store(DeviceHealthRecord before, DeviceHealthRecord after, DateTimeOffset at, string reason)
    {
        _devices[after.DeviceId] = after;
        return before.Effective == after.Effective ? null : new DeviceHealthChange(after.DeviceId, before.Effective, after.Effective, at, reason);
    }

    private IReadOnlySet<string> DevicesIn(GpuHealth effective) =>
        _devices.Values.Where(r => r.Effective == effective).Select(r => r.DeviceId).ToHashSet(StringComparer.Ordinal);

    private string Describe(int faults, GpuHealth condition) => condition switch
    {
        GpuHealth.Failed => $"{faults} faults, failed at {_options.FailedAfterFaults}",
        GpuHealth.Suspect => $"{faults} faults since suspect, fails at {_options.FailedAfterFaults}",
        _ => $"{faults} faults within {_options.FaultWindow}, suspect at {_options.SuspectAfterFaults}",
    };
}
