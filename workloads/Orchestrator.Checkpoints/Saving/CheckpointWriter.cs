using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Phase 2 of a save: hash every chunk and stage the new ones, flush and publish each as soon as it is staged, then
/// commit the manifest once every chunk is published and the fences agree. Any failure before the commit leaves no
/// manifest; chunks already published are orphans that garbage collection removes once the lease is gone.
/// </summary>
/// <remarks>
/// Chunks are hashed and written by <see cref="CheckpointStoreOptions.WriteParallelism"/> threads of the save's own,
/// each taking the next chunk when it is done with one, so while some wait on the device others hash. Each holds an
/// aligned scratch buffer (reused between saves) that receives chunks which must be copied: shards offered through a
/// copy callback, and host memory that is not aligned for direct I/O.
/// </remarks>
internal sealed class CheckpointWriter(
    StorePaths paths, StoreFiles files, ChunkRepository chunks, ManifestRepository manifests, PartRepository parts, AttemptMarkers attempts, StoreLock storeLock,
    CheckpointStoreOptions options)
{
    private readonly ConcurrentBag<AlignedBuffer> _scratch = [];

    public async Task<CheckpointSaveResult> WriteAsync(IChunkSource source, CommitFence? fence, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var lease = new SaveLease(paths, files);
        var (manifest, counts) = await WriteChunksAsync(source, lease, cancellationToken).ConfigureAwait(false);
        return await CommitAsync(manifest, counts.WrittenBytes, counts.ChunksWritten, counts.ChunksReused, started, fence,
            () => lease.IsHeld ? null : $"its save took longer than the lease expiry ({options.LeaseExpiry}) and garbage collection may have removed its chunks",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One process's part of a distributed save: writes its shards' chunks and then its shard list, which the
    /// coordinator's <see cref="CommitPartsAsync"/> merges. Nothing is committed here.
    /// </summary>
    public async Task<CheckpointPart> WritePartAsync(IChunkSource source, int part, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var lease = new SaveLease(paths, files);
        var (manifest, counts) = await WriteChunksAsync(source, lease, cancellationToken).ConfigureAwait(false);
        if (!lease.IsHeld)
        {
            throw new IOException($"part {part} of checkpoint {manifest.Id} took longer than the lease expiry ({options.LeaseExpiry}); garbage collection may have removed its chunks");
        }

        var duration = Stopwatch.GetElapsedTime(started);
        parts.Write(new CheckpointPartFile(manifest, counts.WrittenBytes, counts.ChunksWritten, counts.ChunksReused, duration), part);
        return new CheckpointPart(manifest.Id, part, counts.WrittenBytes, counts.ChunksWritten, counts.ChunksReused, duration);
    }

    /// <summary>
    /// The coordinator's half of a distributed save: merges the <paramref name="partCount"/> parts into one manifest
    /// and commits it as <see cref="WriteAsync"/> does, checking under the store lock that every chunk the parts name is
    /// still stored (their writers' leases ended with their parts). The parts are removed whatever the outcome. The
    /// result's write duration is the slowest part's plus the merge and commit.
    /// </summary>
    public async Task<CheckpointSaveResult> CommitPartsAsync(CheckpointId id, int partCount, CommitFence? fence, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var read = await parts.ReadAllAsync(id, partCount, cancellationToken).ConfigureAwait(false);
            var manifest = CheckpointPartMerge.Merge(id, read);
            var result = await CommitAsync(manifest, read.Sum(p => p.WrittenBytes), read.Sum(p => p.ChunksWritten), read.Sum(p => p.ChunksReused), started, fence,
                () => MissingChunk(manifest), cancellationToken).ConfigureAwait(false);
            // The parts were written in parallel: the save took as long as the slowest, then the merge and commit.
            return result with { WriteDuration = result.WriteDuration + read.Max(p => p.WriteDuration) };
        }
        finally
        {
            parts.Delete(id);
        }
    }

    public void DiscardParts(CheckpointId id) => parts.Delete(id);

    private string? MissingChunk(CheckpointManifest manifest)
    {
        foreach (var shard in manifest.Tensors.SelectMany(t => t.Shards))
        {
            for (var i = 0; i < shard.Chunks.Count; i++)
            {
                var length = (int)Math.Min(manifest.ChunkSize, shard.ByteLength - (long)i * manifest.ChunkSize);
                if (!chunks.IsStored(shard.Chunks[i], length)) return $"chunk {shard.Chunks[i]} written by rank {shard.OwningRank} is no longer stored (collected before the commit)";
            }
        }

        return null;
    }

    private async Task<(CheckpointManifest Manifest, StageCounts Counts)> WriteChunksAsync(IChunkSource source, SaveLease lease, CancellationToken cancellationToken)
    {
        var request = source.Request;
        var hashes = request.Tensors.Select(t => t.Shards.Select(s => new string[(s.ByteLength + source.ChunkSize - 1) / source.ChunkSize]).ToArray()).ToArray();
        var counts = new StageCounts();
        await StageAndPublishAsync(source, lease, hashes, counts, cancellationToken).ConfigureAwait(false);
        return (BuildManifest(source, hashes), counts);
    }

    /// <param name="notCommittable">Asked under the store lock; a reason means the chunks may be gone and nothing is committed.</param>
    private async Task<CheckpointSaveResult> CommitAsync(
        CheckpointManifest manifest, long writtenBytes, int chunksWritten, int chunksReused, long started, CommitFence? fence, Func<string?> notCommittable, CancellationToken cancellationToken)
    {
        var commit = new CheckpointCommit(manifest.Id, manifest.LogicalBytes, writtenBytes);
        // The fence (a call to the job's owner) runs outside the store lock so a slow answer never holds up a
        // collection; the store's own check below still refuses an attempt that a newer one has overtaken meanwhile.
        if (fence is not null && !await fence(commit, cancellationToken).ConfigureAwait(false))
        {
            throw new StaleAttemptException(manifest.Id, "the commit fence refused it");
        }

        using (await storeLock.SharedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (notCommittable() is { } reason)
            {
                throw new IOException($"checkpoint {manifest.Id} was not committed: {reason}");
            }

            var newer = manifests.List(manifest.JobId).Where(id => id.Attempt > manifest.Attempt).Max();
            if (newer is not null)
            {
                throw new StaleAttemptException(manifest.Id, $"attempt {newer.Attempt} has already committed checkpoint {newer}");
            }

            // Checked under the same lock that a claim takes exclusively: a claim is either seen here or made after this commit.
            if (attempts.Read(manifest.JobId) is { } current && current > manifest.Attempt)
            {
                throw new StaleAttemptException(manifest.Id, $"attempt {current} has started (the store's attempt marker says so)");
            }

            manifests.Commit(manifest);
        }

        return new CheckpointSaveResult(manifest, writtenBytes, chunksWritten, chunksReused, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Stages every chunk (<see cref="StageAsync"/>) while as many threads again publish the staged ones: each is
    /// flushed and renamed into place as soon as it is written, so the flushes overlap the hashing and writing of the
    /// chunks after it instead of all waiting for the end. Returns once every chunk is published. A failure on either
    /// side stops both; staged chunks not yet published are then removed.
    /// </summary>
    private async Task StageAndPublishAsync(IChunkSource source, SaveLease lease, string[][][] hashes, StageCounts counts, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var staged = new BlockingCollection<PendingChunk>();
        var written = new ConcurrentQueue<PendingChunk>();
        var publishing = WorkerThreads.RunAsync("checkpoint-publish", options.WriteParallelism, staged.GetConsumingEnumerable(stop.Token), (_, chunk) =>
        {
            try
            {
                chunks.Publish(chunk);
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        }, stop.Token);
        var staging = StageUntilDoneAsync();
        try
        {
            // Of a staging failure and the cancellation it causes in publishing (or the reverse), the failure is thrown.
            await Task.WhenAll(staging, publishing).ConfigureAwait(false);
            // The renames reach stable storage before any manifest that names these chunks can be committed.
            chunks.SyncDirectories(written.Select(chunk => chunk.Hash));
        }
        catch
        {
            // Staged chunks nothing will reference: remove them now rather than at a later collection.
            // (A temporary that was already renamed into place is gone.)
            foreach (var chunk in written.Where(chunk => File.Exists(chunk.Temporary))) files.Delete(chunk.Temporary);
            throw;
        }

        async Task StageUntilDoneAsync()
        {
            try
            {
                await StageAsync(source, lease, hashes, counts, chunk =>
                {
                    written.Enqueue(chunk);
                    staged.Add(chunk);
                }, stop.Token).ConfigureAwait(false);
            }
            catch
            {
                stop.Cancel();
                throw;
            }
            finally
            {
                staged.CompleteAdding();
            }
        }
    }

    /// <summary>
    /// Hashes every chunk and writes the ones not yet stored to temporary files, several at once, handing each
    /// written chunk to <paramref name="stagedChunk"/> (none when the store is not durable: those are in place at once).
    /// </summary>
    private async Task StageAsync(IChunkSource source, SaveLease lease, string[][][] hashes, StageCounts counts, Action<PendingChunk> stagedChunk, CancellationToken cancellationToken)
    {
        var work = new List<(int Tensor, int Shard, int Chunk)>();
        for (var t = 0; t < hashes.Length; t++)
        {
            for (var s = 0; s < hashes[t].Length; s++)
            {
                for (var c = 0; c < hashes[t][s].Length; c++) work.Add((t, s, c));
            }
        }

        // Identical chunks within one save (zero-filled optimizer state, tied weights) are recorded and written once.
        var claimed = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var scratch = new AlignedBuffer?[Math.Max(1, Math.Min(options.WriteParallelism, work.Count))];
        try
        {
            await WorkerThreads.RunAsync("checkpoint-stage", scratch.Length, work, (worker, item) =>
            {
                var (t, s, c) = item;
                var buffer = scratch[worker] ??= RentScratch(source.ChunkSize);
                var data = source.Chunk(t, s, c, buffer.Memory);
                var hash = ChunkHashing.Hash(data.Span);
                hashes[t][s][c] = hash;
                if (!claimed.TryAdd(hash, true))
                {
                    counts.Reused();
                    return;
                }

                // Recording the hash and checking whether the chunk is stored form one step under the shared lock, so
                // a collection (exclusive) either sees the hash in the lease and keeps the chunk, or runs entirely
                // before it and the chunk is found missing and written here. Writing needs no lock: a staged file sits
                // in tmp/ (which collections leave alone while young) until it is published under its leased name.
                bool stored;
                using (storeLock.Shared(cancellationToken))
                {
                    lease.Append(hash);
                    stored = chunks.IsStored(hash, data.Length);
                }

                // The lease now keeps the stored chunk from collection; it is reused only if it still holds these
                // bytes. A damaged one is written again below, which repairs it for every checkpoint naming it.
                if (stored && chunks.Matches(hash, data.Span))
                {
                    counts.Reused();
                    return;
                }

                if (chunks.Stage(hash, data, buffer) is { } staged) stagedChunk(staged);
                counts.Written(data.Length);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var buffer in scratch)
            {
                if (buffer is not null) _scratch.Add(buffer);
            }
        }
    }

    private AlignedBuffer RentScratch(int chunkSize) =>
        _scratch.TryTake(out var buffer) && buffer.Length >= chunkSize ? buffer : new AlignedBuffer(chunkSize);

    private static CheckpointManifest BuildManifest(IChunkSource source, string[][][] hashes)
    {
        var request = source.Request;
        var tensors = request.Tensors.Select((tensor, t) => new CheckpointTensor(
            tensor.Name,
            tensor.GlobalShape.ToArray(),
            tensor.DataType,
            tensor.Shards.Select((shard, s) => new TensorShard(
                shard.Offsets.ToArray(), shard.Extents.ToArray(), shard.OwningRank, shard.ByteLength, hashes[t][s])).ToArray()))
            .ToArray();
        return new CheckpointManifest(
            request.JobId, request.Step, request.Attempt, request.Layout, request.DataPosition, source.CreatedUtc,
            source.ChunkSize, tensors, new Dictionary<string, string>(request.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal));
    }

    /// <summary>Totals updated by concurrent workers.</summary>
    private sealed class StageCounts
    {
        private long _writtenBytes;
        private int _chunksWritten;
        private int _chunksReused;

        public long WrittenBytes => Interlocked.Read(ref _writtenBytes);

        public int ChunksWritten => Volatile.Read(ref _chunksWritten);

        public int ChunksReused => Volatile.Read(ref _chunksReused);

        public void Written(int bytes)
        {
            Interlocked.Add(ref _writtenBytes, bytes);
            Interlocked.Increment(ref _chunksWritten);
        }

        public void Reused() => Interlocked.Increment(ref _chunksReused);
    }
}
