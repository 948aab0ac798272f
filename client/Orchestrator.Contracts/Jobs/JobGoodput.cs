namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// How much of a job's time went into training that counts. Useful time is the step time of steps that were kept;
/// lost time is the step time of steps redone after a recovery (work done after the last checkpoint) plus checkpoint
/// stalls; wall time runs from the first attempt's start to the end (or now).
/// </summary>
/// <param name="UsefulSeconds">Step time of steps that were not redone.</param>
/// <param name="RedoneSeconds">Step time of steps lost to failures and trained again.</param>
/// <param name="StallSeconds">Time training was blocked by checkpoint snapshots.</param>
/// <param name="WallSeconds">From the first attempt's start to the job's end, or to now while it runs.</param>
/// <param name="StepsRedone">Steps trained more than once because an attempt ended after its last checkpoint.</param>
/// <param name="Recoveries">Attempts that resumed from a checkpoint.</param>
[GenerateSerializer, Immutable]
public sealed record JobGoodput(
    [property: Id(0)] double UsefulSeconds,
    [property: Id(1)] double RedoneSeconds,
    [property: Id(2)] double StallSeconds,
    [property: Id(3)] double WallSeconds,
    [property: Id(4)] long StepsRedone,
    [property: Id(5)] int Recoveries)
{
    /// <summary>Useful training time over wall time (0 before any step).</summary>
    public double Ratio => WallSeconds > 0 ? Math.Clamp(UsefulSeconds / WallSeconds, 0, 1) : 0;
}
