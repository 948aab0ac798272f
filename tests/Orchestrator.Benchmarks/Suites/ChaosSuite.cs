namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Fault injection, bounded in time: a soak on one embedded daemon process (<see cref="ChaosSoak"/>: SIGKILLs of
/// workers and of the daemon, corrupted checkpoint chunks, device-failure drills) and crash points in the checkpoint
/// store (<see cref="StoreCrashPoints"/>: a saving process killed at random moments). Method and figures:
/// docs/fault-tolerance.md ("Chaos").
/// </summary>
internal sealed class ChaosSuite : IBenchmarkSuite
{
    public string Name => "chaos";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "orchestrator-bench-chaos", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            await new ChaosSoak(Path.Combine(scratch, "soak")).RunAsync(report, cancellationToken);
            await StoreCrashPoints.RunAsync(report, Path.Combine(scratch, "store"), cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
