using Orchestrator.Benchmarks.Suites.Scheduling;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>openb</c>: only the <c>openb_unallocated_gpu_share.POLICY</c> figures of suite <c>scheduling</c> (GPU-sharing
/// fragmentation on the openb trace), for rerunning them without the suite's timings and simulations.
/// </summary>
internal sealed class OpenbSuite : IBenchmarkSuite
{
    public string Name => "openb";

    public Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        OpenbFragmentation.Record(report, cancellationToken);
        return Task.CompletedTask;
    }
}
