using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// Accounts a job's training time as it is reported: step time counts as useful until a recovery rolls training back
/// past it (those steps are then redone, and their time moves to redone); checkpoint stalls are counted apart.
/// Persisted with the job so goodput survives a control-plane restart.
/// </summary>
[GenerateSerializer]
internal sealed class GoodputLedger
{
    [Id(0)] public double UsefulSeconds { get; set; }

    [Id(1)] public double RedoneSeconds { get; set; }

    [Id(2)] public double StallSeconds { get; set; }

    [Id(3)] public long StepsRedone { get; set; }

    [Id(4)] public int Recoveries { get; set; }

    /// <summary>Step time of every step reported, kept or not: with <see cref="StepsReported"/> the mean step time.</summary>
    [Id(5)] public double ReportedSeconds { get; set; }

    [Id(6)] public long StepsReported { get; set; }

    public void Stepped(double stepSeconds)
    {
        UsefulSeconds += stepSeconds;
        ReportedSeconds += stepSeconds;
        StepsReported++;
    }

    public void Stalled(double stallSeconds) => StallSeconds += stallSeconds;

    /// <summary>
    /// A new attempt resumed at <paramref name="resumedAt"/> after training had reached <paramref name="reached"/>:
    /// the steps in between are trained again. Returns how many.
    /// </summary>
    public long Resumed(long resumedAt, long reached)
    {
        if (resumedAt > 0) Recoveries++;
        var redone = Math.Max(0, reached - resumedAt);
        if (redone == 0 || StepsReported == 0) return redone;
        var seconds = Math.Min(UsefulSeconds, redone * ReportedSeconds / StepsReported);
        UsefulSeconds -= seconds;
        RedoneSeconds += seconds;
        StepsRedone += redone;
        return redone;
    }

    public JobGoodput View(DateTimeOffset? firstStart, DateTimeOffset end) =>
        new(UsefulSeconds, RedoneSeconds, StallSeconds, firstStart is { } start ? Math.Max(0, (end - start).TotalSeconds) : 0, StepsRedone, Recoveries);
}
