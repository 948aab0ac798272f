using System.Runtime.InteropServices;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// CPU time and minor page faults of the calling thread (Linux). With one intra-op torch thread the calling thread
/// does all of a step's work, so its CPU time excludes other processes' time slices on this shared machine, and its
/// page faults show what the step paid the kernel for fresh memory (counted in that CPU time as system time).
/// </summary>
internal static class MoeThreadClock
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
    private const int ThisThread = 1;     // RUSAGE_THREAD

    /// <summary>The calling thread's CPU seconds (user + system).</summary>
    public static double CpuSeconds()
    {
        if (ClockGetTime(ThreadCpuClock, out var now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return now.Seconds + now.Nanoseconds * 1e-9;
    }

    /// <summary>Minor page faults the calling thread has taken so far.</summary>
    public static long MinorFaults()
    {
        if (GetResourceUsage(ThisThread, out var usage) != 0)
        {
            throw new InvalidOperationException("getrusage(RUSAGE_THREAD) failed.");
        }

        return usage.MinorFaults;
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or NaN where there is none.</summary>
    public static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0],
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load)
            ? load
            : double.NaN;

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs of which the fifth is ru_minflt.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxResidentSet;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
