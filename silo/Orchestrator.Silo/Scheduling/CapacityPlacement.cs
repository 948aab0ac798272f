namespace Orchestrator.Silo.Scheduling;

/// <summary>The answer of <see cref="ICapacity.TryPlace"/>: a device per rank, in rank order, or why there is none.</summary>
internal sealed record CapacityPlacement
{
    private CapacityPlacement(IReadOnlyList<string> deviceIds, string? failureReason)
    {
        DeviceIds = deviceIds;
        FailureReason = failureReason;
    }

    /// <summary>Device of each rank, rank 0 first; empty when placement failed.</summary>
    public IReadOnlyList<string> DeviceIds { get; }

    /// <summary>Why no placement exists; null on success.</summary>
    public string? FailureReason { get; }

    public bool Succeeded => FailureReason is null;

    public static CapacityPlacement Placed(IReadOnlyList<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        if (deviceIds.Count == 0)
        {
            throw new ArgumentException("a placement needs at least one device", nameof(deviceIds));
        }

        return new CapacityPlacement(deviceIds, null);
    }

    public static CapacityPlacement Failed(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new CapacityPlacement([], reason);
    }
}
