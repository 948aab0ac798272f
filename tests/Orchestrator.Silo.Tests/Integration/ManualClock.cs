namespace Orchestrator.Silo.Tests.Integration;

/// <summary>A clock that moves only when told: measured intervals in tests are then exact.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
