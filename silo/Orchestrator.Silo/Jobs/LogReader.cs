using System.Text;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>Reads a worker's output file from an offset, a bounded piece at a time.</summary>
internal static class LogReader
{
    private const int MaxChunkBytes = 64 * 1024;

    public static LogChunk Read(string path, long offset, int attempt, bool attemptEnded)
    {
        if (offset < 0) throw new ArgumentException($"offset must be 0 or more, got {offset}");
        if (!File.Exists(path)) return new LogChunk("", offset, attempt, attemptEnded);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Read(stream, offset, attempt, attemptEnded);
    }

    /// <summary>Reads from a seekable stream holding a worker's whole output so far.</summary>
    public static LogChunk Read(Stream stream, long offset, int attempt, bool attemptEnded)
    {
        if (offset < 0) throw new ArgumentException($"offset must be 0 or more, got {offset}");
        // Past the end: the log was rotated (cut to nothing) since the reader's last chunk; follow it from its new start.
        if (offset > stream.Length) offset = 0;
        if (offset >= stream.Length) return new LogChunk("", offset, attempt, attemptEnded);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(MaxChunkBytes, stream.Length - offset)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        // Cut at the last full line so a UTF-8 sequence or a line is never split across chunks.
        var end = read;
        var lastNewline = Array.LastIndexOf(buffer, (byte)'\n', read - 1);
        if (lastNewline >= 0 && offset + read < stream.Length) end = lastNewline + 1;
        var next = offset + end;
        return new LogChunk(Encoding.UTF8.GetString(buffer, 0, end), next, attempt, attemptEnded && next >= stream.Length);
    }
}
