namespace Orchestrator.Silo.Execution;

/// <summary>The last words of a worker's log, for the reason its exit is reported with.</summary>
internal static class LogTail
{
    /// <summary>The last non-empty line within the last 400 bytes of the file; "(no output)" when there is none.</summary>
    public static string LastLine(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Max(0, stream.Length - 400), SeekOrigin.Begin);
            var lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? "(no output)" : lines[^1];
        }
        catch (IOException)
        {
            return "(no output)";
        }
    }
}
