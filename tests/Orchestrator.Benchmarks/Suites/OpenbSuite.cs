using Orchestrator.Benchmarks.Suites.Scheduling;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>openb</c>: GPU-sharing fragmentation on the openb trace (<see cref="OpenbFragmentation"/>). Temporary home of
/// <c>openb_unallocated_gpu_share.POLICY</c> until it joins suite <c>scheduling</c>. Figures: <c>docs/scheduling.md</c>.
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
