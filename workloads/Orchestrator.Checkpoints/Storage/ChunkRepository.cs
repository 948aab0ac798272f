namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Content-addressed chunk files: written to a temporary file, flushed and renamed into place, verified on every read.
/// New chunks are written with direct I/O where the file system accepts it, so the device writes one chunk while the
/// writer hashes the next; elsewhere (or when <see cref="CheckpointStoreOptions.DirectIo"/> is off) through the
/// page cache, which the flush then writes back.
/// </summary>
internal sealed class ChunkRepository(StorePaths paths, bool durable, bool directIo)
{
    // Cleared the first time the file system refuses a direct open or transfer; later chunks go through the page cache.
    private volatile bool _direct = directIo && DirectIo.IsAvailable;
    private long _directWrites;

    /// <summary>Whether new chunks are currently written with direct I/O.</summary>
    public bool WritesDirect => _direct;

    /// <summary>Chunks written with direct I/O since the store was opened.</summary>
    public long DirectWrites => Interlocked.Read(ref _directWrites);

    /// <summary>True when a file of the right length is stored under the hash (a wrong length is damage: a rewrite replaces it).</summary>
    public bool IsStored(string hash, int length)
    {
        var existing = new FileInfo(paths.Chunk(hash));
        return existing.Exists && existing.Length == length;
    }

    /// <summary>
    /// Writes a chunk to a temporary file. When the store is durable it is not visible until <see cref="Publish"/> has
    /// flushed and renamed it; otherwise it is renamed into place at once and the result is null.
    /// </summary>
    /// <param name="hash">The chunk's content address.</param>
    /// <param name="data">The chunk; written in place when its memory is aligned, otherwise copied into <paramref name="bounce"/>.</param>
    /// <param name="bounce">Aligned memory of at least the data's length rounded up to <see cref="DirectIo.Alignment"/>.</param>
    public PendingChunk? Stage(string hash, ReadOnlyMemory<byte> data, AlignedBuffer bounce)
    {
        var temporary = paths.NewTemporary("chunk");
        try
        {
            if (!(_direct && TryWriteDirect(temporary, data, bounce)))
            {
                using var file = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                RandomAccess.Write(file, data.Span, 0);
            }

            var staged = new PendingChunk(hash, temporary);
            if (durable) return staged;
            Publish(staged);
            return null;
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

    /// <summary>
    /// Writes the aligned whole blocks straight from <paramref name="data"/> when its memory is aligned, and the rest
    /// (or everything, when it is not) from <paramref name="bounce"/> padded to a whole block, then cuts the file to the
    /// chunk's length. False, with nothing left behind, when the file system refuses direct I/O.
    /// </summary>
    private unsafe bool TryWriteDirect(string temporary, ReadOnlyMemory<byte> data, AlignedBuffer bounce)
    {
        using var pinned = data.Pin();
        using (var file = DirectIo.TryCreate(temporary))
        {
            if (file is null)
            {
                _direct = false;
                return false;
            }

            try
            {
                var whole = DirectIo.IsAligned(pinned.Pointer) ? data.Length / DirectIo.Alignment * DirectIo.Alignment : 0;
                if (whole > 0) RandomAccess.Write(file, data.Span[..whole], 0);
                var rest = data.Length - whole;
                if (rest > 0)
                {
                    var padded = DirectIo.RoundUp(rest);
                    data.Span[whole..].CopyTo(bounce.Span); // the data may sit in the bounce buffer itself; CopyTo allows overlap
                    bounce.Span[rest..padded].Clear();
                    RandomAccess.Write(file, bounce.Span[..padded], whole);
                    if (padded != rest) RandomAccess.SetLength(file, data.Length);
                }

                Interlocked.Increment(ref _directWrites);
                return true;
            }
            catch (IOException refused) when (DirectIo.IsAlignmentRefusal(refused))
            {
                _direct = false;
            }
        }

        File.Delete(temporary);
        return false;
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
