using System.Diagnostics;
using Orchestrator.Checkpoints;
using Orchestrator.MultiProcess.TestHost;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Kills a process that saves and collects checkpoints (<see cref="StoreChurn"/>) with SIGKILL at <see cref="Points"/>
/// random moments, one store throughout. After each kill: the newest committed checkpoint must verify (every chunk
/// present and matching its hash), and so must every other committed one; a kill after which either fails counts as
/// unrestorable. This measures the store as it is on this branch.
/// </summary>
internal static class StoreCrashPoints
{
    public const int Points = 200;

    public static async Task RunAsync(BenchmarkReport report, string root, CancellationToken cancellationToken)
    {
        var random = new Random(13);
        var host = Path.Combine(AppContext.BaseDirectory, "Orchestrator.MultiProcess.TestHost.dll");
        var unrestorable = 0;
        var missingChunks = 0;
        var committed = 0;
        var clock = Stopwatch.StartNew();
        for (var point = 0; point < Points; point++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { host, "store-churn", root, (point + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
            using var saver = Process.Start(start)!;
            _ = saver.StandardError.ReadToEndAsync(cancellationToken);
            var ready = await saver.StandardOutput.ReadLineAsync(cancellationToken);
            if (ready != "saving") throw new InvalidOperationException($"the store churn process did not start: {ready}");
            await Task.Delay(random.Next(0, 400), cancellationToken);
            saver.Kill();
            await saver.WaitForExitAsync(cancellationToken);

            var store = new CheckpointStore(new CheckpointStoreOptions { Root = root, ChunkSize = 16 * 1024 });
            var ids = store.List(StoreChurn.JobId);
            committed = ids.Count;
            for (var i = 0; i < ids.Count; i++)
            {
                try
                {
                    await store.VerifyAsync(await store.LoadManifestAsync(ids[i], cancellationToken), cancellationToken);
                }
                catch (CheckpointDamagedException e)
                {
                    if (i == ids.Count - 1) unrestorable++;
                    if (e.Message.Contains("missing", StringComparison.Ordinal)) missingChunks++;
                }
            }
        }

        report.Add("store_crash_points", Points, "count", new Dictionary<string, object>
        {
            ["killDelayMilliseconds"] = "0-400 after the process started saving", ["seconds"] = clock.Elapsed.TotalSeconds, ["checkpointsCommittedAtEnd"] = committed,
            ["damagedCheckpointsWithMissingChunks"] = missingChunks,
        });
        report.Add("store_unrestorable", unrestorable, "count");
    }
}
