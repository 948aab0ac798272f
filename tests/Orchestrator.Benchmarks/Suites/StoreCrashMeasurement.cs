using Orchestrator.Checkpoints.CrashInjection;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// The checkpoint store killed at random points while saving (see <see cref="StoreCrashInjection"/>): reports
/// <c>store_crash_points</c> and <c>store_unrestorable</c> (target 0), for the checkpoint suite and the chaos suite.
/// </summary>
internal static class StoreCrashMeasurement
{
    /// <summary>Runs 200 in-process crashes and 8 real SIGKILLs and adds their figures to <paramref name="report"/>.</summary>
    /// <param name="report">Where the figures go.</param>
    /// <param name="scratch">A directory to use when the machine has no memory-backed one (/dev/shm).</param>
    /// <param name="cancellationToken">Stops between crashes.</param>
    public static async Task RunAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        // A kill keeps what was written but not flushed, so the outcome does not depend on the disk; memory makes each
        // crash's fsyncs free and the run short.
        var root = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : scratch, "orchestrator-bench-store-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await StoreCrashInjection.RunAsync(new StoreCrashOptions(root, CrashPoints: 200, Kills: 8, Seed: 2026), cancellationToken);
            var detail = new Dictionary<string, object>
            {
                ["kills"] = result.Kills,
                ["inProcess"] = result.CrashPoints - result.Kills,
                ["changesInScript"] = result.ChangesInScript,
                ["byPhase"] = result.ByPhase,
                ["seconds"] = result.Elapsed.TotalSeconds,
                ["directory"] = Path.GetDirectoryName(root)!,
            };
            report.Add("store_crash_points", result.CrashPoints, "count", detail);
            report.Add("store_unrestorable", result.Unrestorable, "count", new Dictionary<string, object>
            {
                ["target"] = 0,
                ["missingChunks"] = result.MissingChunks,
                ["notReusable"] = result.NotReusable,
                ["problems"] = result.Problems.Take(20).ToList(),
            });
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
