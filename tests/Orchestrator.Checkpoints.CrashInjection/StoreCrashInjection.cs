using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>
/// Kills a process saving into the checkpoint store at random points of a <see cref="CrashScript"/> (mid-chunk,
/// between chunks and manifest, mid-collection, mid-rename, mid-claim) and checks what the next process finds: the
/// newest committed checkpoint restores with the bytes it was saved with, no committed manifest names a missing
/// chunk, and a new attempt can save and collect. For the tests and the benchmarks (checkpoint and chaos suites).
/// </summary>
/// <remarks>
/// Most crashes are made in this process: a fault hook sees every change to the store's files and, at the chosen
/// one, makes the store behave as dead (that change and every later one, cleanup included, is refused), which leaves
/// the files exactly as a process killed there would, since a kill does not undo what reached the file system
/// before it and nothing runs after it. That costs milliseconds per crash instead of a process start. A few crashes
/// are real SIGKILLs of a child process at a chosen point, to keep that equivalence honest. Neither simulates a
/// power loss (what was written but not flushed survives a kill): the flushes are covered by the order of changes
/// this checks plus the fsyncs the hook counts.
/// </remarks>
public static class StoreCrashInjection
{
    private static readonly TimeSpan ChildGuard = TimeSpan.FromMinutes(2);

    /// <summary>Runs <see cref="StoreCrashOptions.CrashPoints"/> in-process crashes and <see cref="StoreCrashOptions.Kills"/> SIGKILLs.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static async Task<StoreCrashReport> RunAsync(StoreCrashOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Scratch);
        var script = new CrashScript(options.Seed);
        var changes = await CountChangesAsync(options.Scratch, script, cancellationToken);
        var random = new Random(options.Seed);
        var tally = new Tally();
        for (var i = 0; i < options.CrashPoints + options.Kills; i++)
        {
            var point = random.NextInt64(1, changes + 1);
            var root = Path.Combine(options.Scratch, $"crash-{i}-{Guid.NewGuid():N}");
            try
            {
                var diedAt = i < options.CrashPoints
                    ? await CrashHereAsync(root, script, point, cancellationToken)
                    : await KillChildAsync(root, options.Seed, point, cancellationToken);
                await tally.AuditAsync(root, script, diedAt, i >= options.CrashPoints, cancellationToken);
            }
            finally
            {
                if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            }
        }

        return tally.Report(changes, watch.Elapsed);
    }

    /// <summary>The child process's side of a SIGKILL: runs the script and kills itself at <paramref name="point"/>.</summary>
    internal static async Task<int> RunChildAsync(string root, int seed, long point)
    {
        var faults = new DyingFaults(point, kill: true);
        var store = new CheckpointStore(CrashScript.Options(root), null, faults);
        await new CrashScript(seed).RunAsync(store, phase => faults.Phase = phase, CancellationToken.None);
        Console.Error.WriteLine($"the script made only {faults.Reached} changes, so point {point} was never reached");
        return 3;
    }

    private static async Task<long> CountChangesAsync(string scratch, CrashScript script, CancellationToken cancellationToken)
    {
        var root = Path.Combine(scratch, $"count-{Guid.NewGuid():N}");
        try
        {
            var counter = new DyingFaults(long.MaxValue, kill: false);
            await script.RunAsync(new CheckpointStore(CrashScript.Options(root), null, counter), _ => { }, cancellationToken);
            return counter.Reached;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<string> CrashHereAsync(string root, CrashScript script, long point, CancellationToken cancellationToken)
    {
        var faults = new DyingFaults(point, kill: false);
        try
        {
            await script.RunAsync(new CheckpointStore(CrashScript.Options(root), null, faults), phase => faults.Phase = phase, cancellationToken);
        }
        catch (Exception) when (faults.DiedAt is not null)
        {
            // Dead: whatever the store was doing failed (the crash itself, a cancellation of its sibling threads, ...).
        }

        return faults.DiedAt ?? throw new InvalidOperationException($"the script finished without reaching change {point}");
    }

    private static async Task<string> KillChildAsync(string root, int seed, long point, CancellationToken cancellationToken)
    {
        using var child = new ChildProcess("crash", root, seed.ToString(CultureInfo.InvariantCulture), point.ToString(CultureInfo.InvariantCulture));
        var (exitCode, output) = await child.WaitAsync(ChildGuard, cancellationToken);
        const int KilledBySigkill = 128 + 9;
        if (exitCode != KilledBySigkill) throw new InvalidOperationException($"the child saving into {root} was to kill itself at change {point} but exited with {exitCode}: {output}");
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("died-at ", StringComparison.Ordinal));
        return "sigkill:" + (line?["died-at ".Length..].Trim() ?? "unknown");
    }

    /// <summary>Adds up the audits of every crash.</summary>
    private sealed class Tally
    {
        private readonly Dictionary<string, int> _byPhase = new(StringComparer.Ordinal);
        private readonly List<string> _problems = [];
        private int _crashes, _kills, _unrestorable, _missing, _notReusable;

        public async Task AuditAsync(string root, CrashScript script, string diedAt, bool killed, CancellationToken cancellationToken)
        {
            _crashes++;
            if (killed) _kills++;
            _byPhase[diedAt] = _byPhase.GetValueOrDefault(diedAt) + 1;
            var after = new CheckpointStore(CrashScript.Options(root));
            var findings = await StoreAudit.CheckAsync(after, script, cancellationToken);
            if (findings.Unrestorable) _unrestorable++;
            _missing += findings.MissingChunks;
            _problems.AddRange(findings.Problems.Select(p => $"after a crash at {diedAt}: {p}"));
            try
            {
                await script.ContinueAsync(after, cancellationToken);
                var again = await StoreAudit.CheckAsync(after, script, cancellationToken);
                if (again.Problems.Count > 0) throw new InvalidDataException(string.Join("; ", again.Problems));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _notReusable++;
                _problems.Add($"after a crash at {diedAt}: a new attempt could not save and collect: {e.Message}");
            }
        }

        public StoreCrashReport Report(long changes, TimeSpan elapsed) =>
            new(_crashes, _kills, _unrestorable, _missing, _notReusable, changes, new SortedDictionary<string, int>(_byPhase, StringComparer.Ordinal), _problems, elapsed);
    }
}
