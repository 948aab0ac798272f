using System.Globalization;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>
/// Two real processes share one store: one saves checkpoints and verifies each right after its commit, the other
/// collects garbage in a loop (keeping one checkpoint). Each save reuses chunks that only the checkpoint before the
/// previous one held, which the collector is removing at that moment: without a lock that excludes across the two
/// processes, a save finds such a chunk stored, reuses it, and commits a manifest whose chunk the collector then removes.
/// </summary>
public static class StoreLockContention
{
    private const string Job = "contended";
    private const int ChunkSize = 64, Chunks = 16;
    private static readonly TimeSpan ChildGuard = TimeSpan.FromMinutes(3);

    /// <summary>Runs the two processes on a store under <paramref name="root"/> until <paramref name="saves"/> checkpoints are committed.</summary>
    public static async Task<LockContentionReport> RunAsync(string root, int saves, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(saves, 1);
        var stop = Path.Combine(root, "stop-collecting");
        new CheckpointStore(Options(root)).Jobs(); // creates the store before both processes open it
        using var collector = new ChildProcess("contend-collect", root, stop);
        using var saver = new ChildProcess("contend-save", root, saves.ToString(CultureInfo.InvariantCulture));
        var saved = await saver.WaitAsync(ChildGuard, cancellationToken);
        await File.WriteAllTextAsync(stop, "", cancellationToken);
        var collected = await collector.WaitAsync(ChildGuard, cancellationToken);
        var problems = new List<string>();
        if (saved.ExitCode != 0) problems.Add($"the saving process exited with {saved.ExitCode}: {saved.Output.Trim()}");
        if (collected.ExitCode != 0) problems.Add($"the collecting process exited with {collected.ExitCode}: {collected.Output.Trim()}");
        var save = Numbers(saved.Output, "saved");
        var collect = Numbers(collected.Output, "collected");
        return new LockContentionReport((int)save[0], (int)collect[0], collect[1], save[1], problems);
    }

    /// <summary>The saving process: commits <paramref name="saves"/> checkpoints, verifying each; prints "saved N REUSED".</summary>
    internal static async Task<int> SaveAsync(string root, int saves)
    {
        var store = new CheckpointStore(Options(root));
        long reused = 0;
        for (var step = 1; step <= saves; step++)
        {
            var result = await store.SaveAsync(Request(step), null, CancellationToken.None);
            reused += result.ChunksReused;
            try
            {
                await store.VerifyAsync(await store.LoadManifestAsync(result.Manifest.Id, CancellationToken.None), CancellationToken.None);
            }
            catch (CheckpointDamagedException lost)
            {
                Console.WriteLine($"lost a chunk of a just-committed checkpoint: {lost.Message}");
                return 1;
            }
        }

        Console.WriteLine($"saved {saves} {reused}");
        return 0;
    }

    /// <summary>The collecting process: collects (keep 1) until <paramref name="stop"/> exists; prints "collected N CHUNKS".</summary>
    internal static async Task<int> CollectAsync(string root, string stop)
    {
        var store = new CheckpointStore(Options(root));
        int collections = 0;
        long chunks = 0;
        while (!File.Exists(stop))
        {
            chunks += (await store.CollectGarbageAsync(keep: 1, CancellationToken.None)).DeletedChunks;
            collections++;
            // A collection after every few saves, as workers collect after each commit; back to back, the exclusive
            // lock would be free so rarely that the saver's shared takers (which poll) would starve.
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        Console.WriteLine($"collected {collections} {chunks}");
        return 0;
    }

    // Not durable: the race is between the lock's holders, and fsyncs would only make each save slower.
    private static CheckpointStoreOptions Options(string root) =>
        new() { Root = root, ChunkSize = ChunkSize, WriteParallelism = 2, LockTimeout = TimeSpan.FromMinutes(1), Durable = false };

    /// <summary>Even chunks of step i hold what the odd chunks of step i-2 held; the odd ones are new.</summary>
    private static CheckpointSaveRequest Request(int step)
    {
        var bytes = new byte[ChunkSize * Chunks];
        for (var j = 0; j < Chunks; j++)
        {
            var generation = j % 2 == 0 ? step - 2 : step;
            new Random(generation * 1000 + j / 2).NextBytes(bytes.AsSpan(j * ChunkSize, ChunkSize));
        }

        return new CheckpointSaveRequest(Job, step, 1, new CheckpointLayout(1, 1, 1), step,
            [new TensorSource("w", [bytes.Length], TensorDataType.UInt8, [ShardSource.FromBytes([0], [bytes.Length], 0, bytes)])]);
    }

    private static long[] Numbers(string output, string prefix)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix + " ", StringComparison.Ordinal));
        return line is null ? [0, 0] : line[(prefix.Length + 1)..].Trim().Split(' ').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();
    }
}
