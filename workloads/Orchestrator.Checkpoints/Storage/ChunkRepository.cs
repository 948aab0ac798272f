using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Content-addressed chunk files: written to a temporary file, flushed and renamed into place, verified on every read.
/// New chunks are written with direct I/O where the file system accepts it, so the device writes one chunk while the
/// writer hashes the next; elsewhere (or when <see cref="CheckpointStoreOptions.DirectIo"/> is off) through the
/// page cache, which the flush then writes back.
/// </summary>
internal sealed class ChunkRepository(StorePaths paths, StoreFiles files, bool directIo)
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
    /// True when the chunk stored under <paramref name="hash"/> holds exactly <paramref name="data"/>. A save reuses a
    /// stored chunk only after this check, so a chunk damaged on disk is written again (repaired) instead of being
    /// referenced by one more checkpoint. A missing or unreadable file counts as not matching.
    /// </summary>
    public bool Matches(string hash, ReadOnlySpan<byte> data)
    {
        var stored = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            using var file = File.OpenHandle(paths.Chunk(hash), FileMode.Open, FileAccess.Read);
            return RandomAccess.GetLength(file) == data.Length && ReadFully(file, stored.AsSpan(0, data.Length)) && stored.AsSpan(0, data.Length).SequenceEqual(data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
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
            files.Before(StoreStep.Create, temporary);
            if (!(_direct && TryWriteDirect(temporary, data, bounce)))
            {
                using var file = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                files.Before(StoreStep.Write, temporary);
                RandomAccess.Write(file, data.Span, 0);
            }

            var staged = new PendingChunk(hash, temporary);
            if (files.Durable) return staged;
            Publish(staged);
            return null;
        }
        catch
        {
            files.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Flushes a staged chunk to stable storage and renames it into place, so a chunk under its name is always whole.
    /// Flushing many staged chunks together costs far fewer journal commits than flushing each as it is written.
    /// The renames reach stable storage with <see cref="SyncDirectories"/>, once per directory before the commit.
    /// </summary>
    public void Publish(PendingChunk chunk)
    {
        if (files.Durable)
        {
            using var handle = File.OpenHandle(chunk.Temporary, FileMode.Open, FileAccess.ReadWrite);
            files.Flush(handle, chunk.Temporary);
        }

        var path = paths.Chunk(chunk.Hash);
        files.EnsureDirectory(Path.GetDirectoryName(path)!);
        // Two savers may race to store the same content; either rename leaves identical bytes in place (and a
        // rename over a damaged chunk repairs it).
        files.Rename(chunk.Temporary, path, overwrite: true);
    }

    /// <summary>Flushes the directories of the given chunks (each once), so their renames or removals survive a crash of the machine.</summary>
    public void SyncDirectories(IEnumerable<string> hashes)
    {
        foreach (var directory in hashes.Select(hash => Path.GetDirectoryName(paths.Chunk(hash))!).Distinct(StringComparer.Ordinal))
        {
            files.SyncDirectory(directory);
        }
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
                files.Before(StoreStep.Write, temporary);
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

        files.Delete(temporary);
        return false;
    }

    /// <summary>
    /// Reads a chunk and checks its length and SHA-256. The file's length is checked against the manifest's before
    /// anything is allocated, so an oversized (or truncated) file costs no memory.
    /// </summary>
    /// <exception cref="CheckpointDamagedException">Missing, unreadable, wrong length or wrong content; names <paramref name="checkpoint"/>.</exception>
    public async Task<byte[]> ReadVerifiedAsync(string checkpoint, string hash, int expectedLength, CancellationToken cancellationToken)
    {
        byte[] data;
        try
        {
            using var file = File.OpenHandle(paths.Chunk(hash), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            var length = RandomAccess.GetLength(file);
            if (length != expectedLength)
            {
                throw new CheckpointDamagedException(checkpoint, $"chunk {hash} has {length} bytes, the manifest expects {expectedLength}");
            }

            data = GC.AllocateUninitializedArray<byte>(expectedLength);
            var read = 0;
            while (read < data.Length)
            {
                var count = await RandomAccess.ReadAsync(file, data.AsMemory(read), read, cancellationToken).ConfigureAwait(false);
                if (count == 0) throw new CheckpointDamagedException(checkpoint, $"chunk {hash} ended after {read} of {expectedLength} bytes while it was read");
                read += count;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointDamagedException(checkpoint, $"chunk {hash} is missing", e);
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not CheckpointDamagedException)
        {
            throw new CheckpointDamagedException(checkpoint, $"chunk {hash} cannot be read: {e.Message}", e);
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

    /// <summary>Removes a chunk; flush its directory with <see cref="SyncDirectories"/> once the sweep is done.</summary>
    public void Delete(string hash) => files.Delete(paths.Chunk(hash));

    private static bool ReadFully(SafeFileHandle file, Span<byte> destination)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var count = RandomAccess.Read(file, destination[read..], read);
            if (count == 0) return false;
            read += count;
        }

        return true;
    }
}

/// <summary>A chunk written to a temporary file and not yet flushed and renamed into place.</summary>
internal sealed record PendingChunk(string Hash, string Temporary);
