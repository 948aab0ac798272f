namespace Orchestrator.Checkpoints.Storage;

/// <summary>Content-addressed chunk files: written once via a temporary file and a rename, verified on every read.</summary>
internal sealed class ChunkRepository(StorePaths paths, bool durable)
{
    /// <summary>Writes the chunk unless a file of the right length is already there.</summary>
    /// <returns>True when this call wrote it, false when it was already stored.</returns>
    public bool Ensure(string hash, ReadOnlySpan<byte> data)
    {
        var path = paths.Chunk(hash);
        var existing = new FileInfo(path);
        if (existing.Exists && existing.Length == data.Length)
        {
            return false;
        }

        // A wrong-length file is damage (a torn copy from outside the store); replace it with the right bytes.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = paths.NewTemporary("chunk");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(data);
                if (durable)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            // Two savers may race to store the same content; either rename leaves identical bytes in place.
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
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
