namespace Orchestrator.Benchmarks;

/// <summary>
/// One named suite of measurements. Suites are discovered by reflection, so adding a suite is adding one file
/// under <c>Suites/</c>; nothing else needs editing.
/// </summary>
internal interface IBenchmarkSuite
{
    /// <summary>The name given on the command line and used for <c>artifacts/bench/NAME.json</c>.</summary>
    string Name { get; }

    /// <summary>Runs the measurements and records each figure on <paramref name="report"/>.</summary>
    Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken);
}
