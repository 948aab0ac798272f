using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>Manifest and pin files per job. A manifest becomes visible only by an atomic rename of a complete, flushed file.</summary>
internal sealed class ManifestRepository(StorePaths paths, bool durable)
{
    public IReadOnlyList<string> Jobs() =>
        Directory.Exists(paths.Jobs)
            ? Directory.EnumerateDirectories(paths.Jobs).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The job's committed checkpoints, oldest first (by step, then attempt).</summary>
    public IReadOnlyList<CheckpointId> List(string jobId)
    {
        var directory = paths.ManifestDirectory(jobId);
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, "*.json")
            .Select(file => StorePaths.ParseFileStem(jobId, Path.GetFileName(file)))
            .OfType<CheckpointId>()
            .Order()
            .ToList();
    }

    /// <exception cref="CheckpointDamagedException">Missing, torn, altered, or not the checkpoint its file name says.</exception>
    public async Task<CheckpointManifest> ReadAsync(CheckpointId id, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(paths.Manifest(id), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointDamagedException(id.ToString(), "its manifest does not exist (never committed, or collected)", e);
        }

        var manifest = ManifestCodec.Decode(id.ToString(), bytes);
        if (manifest.Id != id)
        {
            throw new CheckpointDamagedException(id.ToString(), $"manifest file holds checkpoint {manifest.Id}");
        }

        return manifest;
    }

    /// <summary>Writes the manifest to a temporary file, flushes it, and renames it into place; refuses to replace one.</summary>
    /// <exception cref="InvalidOperationException">This job, step and attempt is already committed.</exception>
    public void Commit(CheckpointManifest manifest)
    {
        var path = paths.Manifest(manifest.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = paths.NewTemporary("manifest");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(ManifestCodec.Encode(manifest));
                if (durable)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            if (File.Exists(path))
            {
                throw new InvalidOperationException($"checkpoint {manifest.Id} is already committed; an attempt saves a step at most once");
            }

            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public void Delete(CheckpointId id)
    {
        DeleteIfPresent(paths.Manifest(id));
        DeleteIfPresent(paths.Pin(id));
    }

    public bool Exists(CheckpointId id) => File.Exists(paths.Manifest(id));

    public void Pin(CheckpointId id)
    {
        Directory.CreateDirectory(paths.PinDirectory(id.JobId));
        using var _ = new FileStream(paths.Pin(id), FileMode.OpenOrCreate, FileAccess.Write);
    }

    public void Unpin(CheckpointId id) => DeleteIfPresent(paths.Pin(id));

    public bool IsPinned(CheckpointId id) => File.Exists(paths.Pin(id));

    private static void DeleteIfPresent(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever pinned (or saved) for this job.
        }
    }
}
