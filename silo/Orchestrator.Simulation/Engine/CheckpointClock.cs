namespace Orchestrator.Simulation.Engine;

/// <summary>
/// Wall-clock arithmetic of an attempt that saves a checkpoint every <c>interval</c> seconds of work, each save
/// stalling training for <c>save</c> seconds: how long a stretch of work takes, and how much of it is done and saved
/// after some time. With an interval of 0 nothing is ever saved.
/// </summary>
internal readonly record struct CheckpointClock(double IntervalSeconds, double SaveSeconds)
{
    /// <summary>Wall-clock seconds to do <paramref name="work"/> seconds of work: the saves in between (none after the last step) included.</summary>
    public double WallFor(double work) =>
        IntervalSeconds > 0 && work > 0 ? work + (Math.Ceiling(work / IntervalSeconds) - 1) * SaveSeconds : work;

    /// <summary>Work done and work saved <paramref name="elapsed"/> wall-clock seconds into the work, of at most <paramref name="work"/>.</summary>
    public (double Done, double Saved) Progress(double elapsed, double work)
    {
        if (elapsed <= 0) return (0, 0);
        if (IntervalSeconds <= 0) return (Math.Min(elapsed, work), 0);
        var cycle = IntervalSeconds + SaveSeconds;
        var full = Math.Floor(elapsed / cycle);
        var done = Math.Min(work, full * IntervalSeconds + Math.Min(elapsed - full * cycle, IntervalSeconds));
        return (done, Math.Min(done, full * IntervalSeconds));
    }
}
