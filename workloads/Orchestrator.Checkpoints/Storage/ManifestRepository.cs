using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>Manifest and pin files per job. A manifest becomes visible only by an atomic rename of a complete, flushed file.</summary>
internal sealed class ManifestRepository(StorePaths paths, StoreFiles files)
{
    /// <summary>
    /// Largest manifest file read (512 MiB): the hashes of about 7 million chunks, 28 TB of checkpoint at 4 MiB a
    /// chunk. A larger file is damage (or not ours) and is refused before anything is allocated for it.
    /// </summary>
    public const int MaxManifestBytes = 512 << 20;

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
            using var file = File.OpenHandle(paths.Manifest(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            var length = RandomAccess.GetLength(file);
            if (length > MaxManifestBytes)
            {
                throw new CheckpointDamagedException(id.ToString(), $"its manifest file has {length} bytes, more than the {MaxManifestBytes} a manifest may have");
            }

            bytes = new byte[length];
            var read = 0;
            while (read < bytes.Length)
            {
                var count = await RandomAccess.ReadAsync(file, bytes.AsMemory(read), read, cancellationToken).ConfigureAwait(false);
                if (count == 0) throw new CheckpointDamagedException(id.ToString(), $"its manifest ended after {read} of {length} bytes while it was read");
                read += count;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointDamagedException(id.ToString(), "its manifest does not exist (never committed, or collected)", e);
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not CheckpointDamagedException)
        {
            throw new CheckpointDamagedException(id.ToString(), $"its manifest cannot be read: {e.Message}", e);
        }

        var manifest = ManifestCodec.Decode(id.ToString(), bytes);
        if (manifest.Id != id)
        {
            throw new CheckpointDamagedException(id.ToString(), $"manifest file holds checkpoint {manifest.Id}");
        }

        return manifest;
    }

    /// <summary>
    /// Writes the manifest to a temporary file, flushes it, renames it into place and flushes the directory; refuses
    /// to replace one. The chunks' directories must have been flushed before (the writer does it as its chunks land).
    /// </summary>
    /// <exception cref="InvalidOperationException">This job, step and attempt is already committed.</exception>
    public void Commit(CheckpointManifest manifest)
    {
        var path = paths.Manifest(manifest.Id);
        files.EnsureDirectory(Path.GetDirectoryName(path)!);
        var temporary = paths.NewTemporary("manifest");
        try
        {
            files.Before(StoreStep.Create, temporary);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                files.Before(StoreStep.Write, temporary);
                stream.Write(ManifestCodec.Encode(manifest));
                files.Flush(stream);
            }

            if (File.Exists(path))
            {
                throw new InvalidOperationException($"checkpoint {manifest.Id} is already committed; an attempt saves a step at most once");
            }

            files.RenameDurably(temporary, path, overwrite: false);
        }
        finally
        {
            if (File.Exists(temporary)) files.Delete(temporary);
        }
    }

    /// <summary>Removes the manifest and its pin; flush the job's directories with <see cref="SyncJob"/> once done.</summary>
    public void Delete(CheckpointId id)
    {
        files.Delete(paths.Manifest(id));
        files.Delete(paths.Pin(id));
    }

    /// <summary>Flushes the job's manifest and pin directories, so removals in them survive a crash of the machine.</summary>
    public void SyncJob(string jobId)
    {
        foreach (var directory in new[] { paths.ManifestDirectory(jobId), paths.PinDirectory(jobId) })
        {
            if (Directory.Exists(directory)) files.SyncDirectory(directory);
        }
    }

    public bool Exists(CheckpointId id) => File.Exists(paths.Manifest(id));

    public void Pin(CheckpointId id)
    {
        files.EnsureDirectory(paths.PinDirectory(id.JobId));
        files.Before(StoreStep.Create, paths.Pin(id));
        using (new FileStream(paths.Pin(id), FileMode.OpenOrCreate, FileAccess.Write))
        {
            // An empty file: its name is the pin.
        }

        files.SyncDirectory(paths.PinDirectory(id.JobId));
    }

    public void Unpin(CheckpointId id)
    {
        files.Delete(paths.Pin(id));
        SyncJob(id.JobId);
    }

    public bool IsPinned(CheckpointId id) => File.Exists(paths.Pin(id));
}
