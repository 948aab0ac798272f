namespace Orchestrator.Checkpoints.Storage;

/// <summary>Content-addressed chunk files: written once via a temporary file and a rename, verified on every read.</summary>
internal sealed class ChunkRepository(StorePaths paths, bool durable)
{
    /// <summary>
    /// Writes the chunk to a temporary file unless a file of the right length is already stored under its name.
    /// When the store is durable the chunk is not visible until <see cref="Publish"/> has flushed and renamed it;
    /// otherwise it is renamed into place at once and <paramref name="pending"/> is null.
    /// </summary>
    /// <returns>True when this call wrote it, false when it was already stored.</returns>
    public bool Stage(string hash, ReadOnlySpan<byte> data, out PendingChunk? pending)
    {
        pending = null;
        var existing = new FileInfo(paths.Chunk(hash));
        if (existing.Exists && existing.Length == data.Length)
        {
            return false;
        }

        // A wrong-length file is damage (a torn copy from outside the store); the rename replaces it.
        var temporary = paths.NewTemporary("chunk");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(data);
            }

            var staged = new PendingChunk(hash, temporary);
            if (durable)
            {
                pending = staged;
            }
            else
            {
                Publish(staged);
            }

            return true;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Flushes a staged chunk to stable storage and renames it into place, so a chunk under its name is always whole.
    /// Flushing many staged chunks together costs far fewer journal commits than flushing each as it is written.
    /// </summary>
    public void Publish(PendingChunk chunk)
    {
        if (durable)
        {
            using var handle = File.OpenHandle(chunk.Temporary, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }

        var path = paths.Chunk(chunk.Hash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Two savers may race to store the same content; either rename leaves identical bytes in place.
        File.Move(chunk.Temporary, path, overwrite: true);
    }

    /// <summary>Reads a chunk and checks its length and SHA-256.</summary>
    /// <exception cref="CheckpointDamagedException">Missing, wrong length or wrong content; names <paramref name="checkpoint"/>.</exception>
    public async Task<byte[]> ReadVerifiedAsync(string checkpoint, string hash, int expectedLength, CancellationToken cancellationToken)
    {
        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(paths.Chunk(hash), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointDamagedException(checkpoint, $"chunk {hash} is missing", e);
        }

        if (data.Length != expectedLength)
        {
            throw new CheckpointDamagedException(checkpoint, $"chunk {hash} has {data.Length} bytes, the manifest expects {expectedLength}");
        }

        var actual = ChunkHashing.Hash(data);
        if (actual != hash)
        {
            throw new CheckpointDamagedException(checkpoint, $"chunk {hash} is corrupt: its content hashes to {actual}");
        }

        return data;
    }

    public bool Exists(string hash) => File.Exists(paths.Chunk(hash));

    /// <summary>Every stored chunk with its size; files that are not named by a hash are ignored.</summary>
    public IEnumerable<(string Hash, long Length)> Enumerate()
    {
        foreach (var directory in Directory.EnumerateDirectories(paths.Chunks))
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
            {
                if (ChunkHashing.IsWellFormed(file.Name))
                {
                    yield return (file.Name, file.Length);
                }
            }
        }
    }

    public void Delete(string hash) => File.Delete(paths.Chunk(hash));
}

/// <summary>A chunk written to a temporary file and not yet flushed and renamed into place.</summary>
internal sealed record PendingChunk(string Hash, string Temporary);
