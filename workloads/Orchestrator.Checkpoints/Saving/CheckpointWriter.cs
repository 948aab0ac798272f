using System.Diagnostics;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// Phase 2 of a save: hash the snapshot's chunks, publish the new ones, then commit the manifest after the fences
/// agree. Any failure before the commit leaves no manifest; the chunks it published are orphans that garbage
/// collection removes once the lease is gone.
/// </summary>
internal sealed class CheckpointWriter(
    StorePaths paths, ChunkRepository chunks, ManifestRepository manifests, StoreLock storeLock, CheckpointStoreOptions options)
{
    public async Task<CheckpointSaveResult> WriteAsync(IChunkSource source, CommitFence? fence, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var request = source.Request;
        using var lease = new SaveLease(paths);
        var hashes = request.Tensors.Select(t => t.Shards.Select(s => new string[(s.ByteLength + source.ChunkSize - 1) / source.ChunkSize]).ToArray()).ToArray();
        var work = new List<(int Tensor, int Shard, int Chunk)>();
        for (var t = 0; t < hashes.Length; t++)
        {
            for (var s = 0; s < hashes[t].Length; s++)
            {
                for (var c = 0; c < hashes[t][s].Length; c++) work.Add((t, s, c));
            }
        }

        // At most one scratch buffer per worker, handed between work items.
        var scratchBuffers = new System.Collections.Concurrent.ConcurrentBag<byte[]>();
        long writtenBytes = 0;
        int chunksWritten = 0, chunksReused = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.WriteParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (item, token) =>
        {
            var scratch = source.NeedsScratch ? (scratchBuffers.TryTake(out var free) ? free : GC.AllocateUninitializedArray<byte>(source.ChunkSize)) : null;
            var data = source.Chunk(item.Tensor, item.Shard, item.Chunk, scratch);
            var hash = ChunkHashing.Hash(data.Span);
            // Recording the hash and checking/writing the chunk form one step under the shared lock, so a collection
            // (exclusive) either sees the hash in the lease or runs before it and the chunk is rewritten here.
            using (await storeLock.SharedAsync(token).ConfigureAwait(false))
            {
                lease.Append(hash);
                if (chunks.Ensure(hash, data.Span))
                {
                    Interlocked.Add(ref writtenBytes, data.Length);
                    Interlocked.Increment(ref chunksWritten);
                }
                else
                {
                    Interlocked.Increment(ref chunksReused);
                }
            }

            hashes[item.Tensor][item.Shard][item.Chunk] = hash;
            if (scratch is not null) scratchBuffers.Add(scratch);
        }).ConfigureAwait(false);

        var manifest = BuildManifest(source, hashes);
        var commit = new CheckpointCommit(manifest.Id, manifest.LogicalBytes, writtenBytes);
        // The fence (a call to the job's owner) runs outside the store lock so a slow answer never holds up a
        // collection; the store's own check below still refuses an attempt that a newer one has overtaken meanwhile.
        if (fence is not null && !await fence(commit, cancellationToken).ConfigureAwait(false))
        {
            throw new StaleAttemptException(manifest.Id, "the commit fence refused it");
        }

        using (await storeLock.SharedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!lease.IsHeld)
            {
                throw new IOException($"checkpoint {manifest.Id} was not committed: its save took longer than the lease expiry ({options.LeaseExpiry}) and garbage collection may have removed its chunks");
            }

            var newer = manifests.List(request.JobId).Where(id => id.Attempt > request.Attempt).Max();
            if (newer is not null)
            {
                throw new StaleAttemptException(manifest.Id, $"attempt {newer.Attempt} has already committed checkpoint {newer}");
            }

            manifests.Commit(manifest);
        }

        return new CheckpointSaveResult(manifest, writtenBytes, chunksWritten, chunksReused, Stopwatch.GetElapsedTime(started));
    }

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
}
