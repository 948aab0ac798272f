namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>placement</c>: how long topology-aware gang placement and free-capacity updates take on large simulated
/// clusters (the scheduler runs them on every pass). Figures and their meaning: <c>docs/topology.md</c>.
/// </summary>
internal sealed class PlacementSuite : IBenchmarkSuite
{
    public string Name => "placement";

    public Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        PlacementMeasurements.RecordGangOn16k(report, cancellationToken);
        PlacementMeasurements.RecordLargeCluster(report, cancellationToken);
        PlacementMeasurements.RecordIndexUpdate(report, cancellationToken);
        return Task.CompletedTask;
    }
}
