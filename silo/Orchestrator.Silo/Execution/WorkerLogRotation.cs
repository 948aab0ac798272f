namespace Orchestrator.Silo.Execution;

/// <summary>
/// Keeps a running worker's log bounded: when it grows past the limit its content moves to <c>LOG.1</c> (replacing
/// the one before) and the log is cut to nothing in place (copy-truncate, as logrotate does for a writer that cannot
/// be told to reopen). The worker's shell appends with O_APPEND, so its next line lands at the new start; lines
/// written between the copy and the cut are lost, a few at most.
/// </summary>
internal static class WorkerLogRotation
{
    /// <summary>Rotates <paramref name="logPath"/> if it holds more than <paramref name="maxBytes"/>; true when it did.</summary>
    public static bool RotateIfLarger(string logPath, long maxBytes)
    {
        var log = new FileInfo(logPath);
        if (!log.Exists || log.Length <= maxBytes) return false;
        File.Copy(logPath, logPath + ".1", overwrite: true);
        using var cut = new FileStream(logPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        cut.SetLength(0);
        return true;
    }

    /// <summary>Checks the log every <paramref name="period"/> until <paramref name="exited"/> completes.</summary>
    public static async Task WhileRunningAsync(string logPath, long maxBytes, TimeSpan period, Task exited)
    {
        while (await Task.WhenAny(exited, Task.Delay(period)) != exited)
        {
            try
            {
                RotateIfLarger(logPath, maxBytes);
            }
            catch (IOException)
            {
                // The next check tries again.
            }
        }
    }
}
