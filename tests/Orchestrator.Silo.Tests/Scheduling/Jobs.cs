using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Tests.Scheduling;

/// <summary>Short builders for the jobs the scheduling tests talk about.</summary>
internal static class Jobs
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A waiting job of <paramref name="devices"/> data-parallel ranks.</summary>
    public static WaitingJob Waiting(string id, int devices, int priority = 0, long sequence = 0, TimeSpan? runtime = null, string? gpuType = null) =>
        new(id, priority, sequence, JobDemand.Fixed(new ParallelLayout(1, 1, devices), gpuType), runtime);

    public static WaitingJob Waiting(string id, ParallelLayout layout, int priority = 0, long sequence = 0, TimeSpan? runtime = null) =>
        new(id, priority, sequence, JobDemand.Fixed(layout), runtime);

    /// <summary>A running job holding the given devices, marked busy on <paramref name="capacity"/>.</summary>
    public static RunningJob Running(FakeCapacity capacity, string id, IReadOnlyList<string> devices, int priority = 0,
        DateTimeOffset? startedAt = null, DateTimeOffset? expectedEnd = null)
    {
        capacity.MarkBusy(devices);
        return new RunningJob(id, priority, devices, startedAt ?? T0.AddHours(-1), expectedEnd);
    }

    /// <summary>Devices 0..count-1 of one node.</summary>
    public static IReadOnlyList<string> OnNode(int node, int count, int first = 0) =>
        Enumerable.Range(first, count).Select(g => FakeCapacity.Id(node, g)).ToList();

    public static TimeSpan Minutes(double minutes) => TimeSpan.FromMinutes(minutes);
}
