namespace Orchestrator.Checkpoints.Tests;

/// <summary>The system clock moved by an adjustable offset, to make leases look old without waiting.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
