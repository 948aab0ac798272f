using System.Diagnostics;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>
/// Ends the saving process just before its <c>point</c>-th change to the store's files (counting from 1). With
/// <c>kill</c> it really dies there (SIGKILL to itself). Otherwise it behaves as dead from then on: the change and
/// every later one (including cleanup in catch and finally blocks, which a dead process would never run) are
/// refused by throwing, so the files are left as the killed process would have left them. A crash before a write
/// leaves the file torn: part of a write is appended first.
/// </summary>
internal sealed class DyingFaults(long point, bool kill) : IStoreFaults
{
    private long _reached;
    private volatile bool _dead;

    /// <summary>What the script was doing, for the report.</summary>
    public string Phase { get; set; } = "start";

    /// <summary>Where the process died: the phase and the change, or null while it lives.</summary>
    public string? DiedAt { get; private set; }

    /// <summary>Changes announced so far (with a point beyond the script: how many the script makes).</summary>
    public long Reached => Interlocked.Read(ref _reached);

    public void Before(StoreStep step, string path)
    {
        if (_dead) throw new SimulatedCrashException("the process is dead");
        if (Interlocked.Increment(ref _reached) != point) return;
        DiedAt = $"{Phase}/{step}";
        if (step == StoreStep.Write && File.Exists(path)) File.AppendAllText(path, "torn-write"); // the part that reached the file
        if (kill)
        {
            Console.Out.WriteLine($"died-at {DiedAt}");
            Console.Out.Flush();
            Process.GetCurrentProcess().Kill(); // SIGKILL: no finally block, no flush, no cleanup runs
            Thread.Sleep(Timeout.Infinite);
        }

        _dead = true;
        throw new SimulatedCrashException($"crashed before {step} of {path} while in {Phase}");
    }
}
