using Orchestrator.Benchmarks.Suites.Scheduling;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>scheduling</c>: one scheduling pass at 100,000 GPUs with 10,000 jobs waiting, placement throughput of the pass,
/// the simulator's wall time for 30 days of a 16,384-GPU cluster, and how close fair share comes to the queues'
/// weights, and GPU-sharing fragmentation on the openb trace per packing policy. Figures and their meaning: <c>docs/scheduling.md</c>.
/// </summary>
internal sealed class SchedulingSuite : IBenchmarkSuite
{
    public string Name => "scheduling";

    public Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        SchedulingMeasurements.RecordPassAtScale(report, cancellationToken);
        SchedulingMeasurements.RecordPlacementThroughput(report, cancellationToken);
        SimulationMeasurements.RecordFairShare(report, cancellationToken);
        SimulationMeasurements.RecordThirtyDays(report, cancellationToken);
        OpenbFragmentation.Record(report, cancellationToken);
        return Task.CompletedTask;
    }
}
