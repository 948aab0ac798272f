using System.Globalization;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// The job's current attempt as the store knows it, in <c>jobs/JOB/attempt</c>: written (under the exclusive store
/// lock) when an attempt starts, read under the lock by every commit, which refuses an older attempt. So a zombie of
/// an earlier attempt cannot commit once the new attempt has started, even before the new one's first checkpoint.
/// </summary>
internal sealed class AttemptMarkers(StorePaths paths, StoreFiles files)
{
    /// <summary>The recorded attempt, or null when none has been claimed.</summary>
    /// <exception cref="IOException">The marker is unreadable or holds no attempt number (a claim rewrites it).</exception>
    public int? Read(string jobId)
    {
        var path = paths.AttemptMarker(jobId);
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) && attempt >= 1
            ? attempt
            : throw new IOException($"the attempt marker {path} holds '{text[..Math.Min(text.Length, 40)]}', not an attempt number; claiming the job's current attempt rewrites it");
    }

    /// <summary>Records <paramref name="attempt"/> durably: written aside, flushed, renamed over the old marker, directory flushed.</summary>
    public void Write(string jobId, int attempt)
    {
        var path = paths.AttemptMarker(jobId);
        files.EnsureDirectory(Path.GetDirectoryName(path)!);
        var temporary = paths.NewTemporary("attempt");
        try
        {
            files.Before(StoreStep.Create, temporary);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                files.Before(StoreStep.Write, temporary);
                stream.Write(System.Text.Encoding.ASCII.GetBytes(attempt.ToString(CultureInfo.InvariantCulture) + "\n"));
                files.Flush(stream);
            }

            files.RenameDurably(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) files.Delete(temporary);
        }
    }
}
