namespace Orchestrator.Silo.Scheduling.Health;

/// <summary>When faults make a device suspect or failed, and when a suspect one is trusted again.</summary>
internal sealed record DeviceHealthOptions
{
    /// <summary>Faults within <see cref="FaultWindow"/> that make a healthy device suspect.</summary>
    public int SuspectAfterFaults { get; init; } = 2;

    /// <summary>Faults that make a device failed: counted within the window while healthy, and since it became
    /// suspect while suspect (a device that keeps faulting never earns its quiet period).</summary>
    public int FailedAfterFaults { get; init; } = 4;

    /// <summary>How far back faults count towards suspicion.</summary>
    public TimeSpan FaultWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A suspect device with no fault for this long is healthy again.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromHours(6);

    public static DeviceHealthOptions Default { get; } = new();

    /// <summary>Throws, naming the setting, when a threshold or duration is out of range.</summary>
    public void Validate()
    {
        if (SuspectAfterFaults < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SuspectAfterFaults), SuspectAfterFaults, "deviceHealth.suspectAfterFaults must be at least 1");
        }

        if (FailedAfterFaults < SuspectAfterFaults)
        {
            throw new ArgumentOutOfRangeException(nameof(FailedAfterFaults), FailedAfterFaults,
                $"deviceHealth.failedAfterFaults must be at least deviceHealth.suspectAfterFaults ({SuspectAfterFaults})");
        }

        if (FaultWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FaultWindow), FaultWindow, "deviceHealth.faultWindow must be positive");
        }

        if (QuietPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(QuietPeriod), QuietPeriod, "deviceHealth.quietPeriod must be positive");
        }
    }
}
