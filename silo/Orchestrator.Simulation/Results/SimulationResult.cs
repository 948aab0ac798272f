namespace Orchestrator.Simulation.Results;

/// <summary>What a run measured; times in seconds of virtual time. See docs/scheduling.md for each figure's definition.</summary>
internal sealed record SimulationResult(
    string Scenario,
    int Seed,
    int TotalGpus,
    double SimulatedSeconds,
    int JobsSubmitted,
    int JobsCompleted,
    int JobsFailed,
    int JobsUnfinished,
    double MeanJctSeconds,
    double P99JctSeconds,
    double MeanQueueingSeconds,
    double P99QueueingSeconds,
    double? MakespanSeconds,
    double MeanAllocation,
    double Utilisation,
    double MeanFragmentation,
    double Goodput,
    int DeviceFailures,
    int JobInterruptions,
    int Preemptions,
    int SchedulingPasses,
    IReadOnlyList<QueueShare> Fairness,
    double? JainIndex,
    IReadOnlyList<TimeSample> Samples,
    IReadOnlyList<StartRecord> Starts)
{
    /// <summary>The largest gap between a queue's share and its fair-share target; null with fewer than two queues.</summary>
    public double? FairShareMaxDeviation => Fairness.Count < 2 ? null : Fairness.Max(f => f.Deviation);
}
