using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Reading;
using Orchestrator.Checkpoints.Saving;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints;

/// <summary>
/// A content-addressed checkpoint store under one root directory, shareable by several processes (workers saving,
/// the control plane collecting garbage). Chunks are stored once however many checkpoints and jobs reference them;
/// a checkpoint exists once its manifest is committed, and every chunk is verified when it is read.
/// </summary>
public sealed partial class CheckpointStore
{
    private readonly StorePaths _paths;
    private readonly ChunkRepository _chunks;
    private readonly ManifestRepository _manifests;
    private readonly StoreLock _lock;
    private readonly TimeProvider _clock;
    private readonly StoreUsageCounter _usage;
    private readonly StoreFiles _files;
    private readonly AttemptMarkers _attempts;

    /// <summary>Opens (creating if needed) the store at <see cref="CheckpointStoreOptions.Root"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public CheckpointStore(CheckpointStoreOptions options, TimeProvider? clock = null)
        : this(options, clock, faults: null)
    {
    }

    /// <summary>A store whose every change to its files is announced to <paramref name="faults"/> first (crash injection).</summary>
    internal CheckpointStore(CheckpointStoreOptions options, TimeProvider? clock, IStoreFaults? faults)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _clock = clock ?? TimeProvider.System;
        _paths = new StorePaths(options.Root);
        _paths.EnsureCreated();
        _files = new StoreFiles(options.Durable, faults);
        _chunks = new ChunkRepository(_paths, _files, options.DirectIo);
        _manifests = new ManifestRepository(_paths, _files);
        _attempts = new AttemptMarkers(_paths, _files);
        _lock = new StoreLock(_paths.LockFile, options.LockTimeout);
        _usage = new StoreUsageCounter(_paths, _manifests);
        Writer = new CheckpointWriter(_paths, _files, _chunks, _manifests, new PartRepository(_paths, _files), _attempts, _lock, options);
    }

    /// <summary>The options the store was opened with.</summary>
    public CheckpointStoreOptions Options { get; }

    internal CheckpointWriter Writer { get; }

    internal ChunkRepository Chunks => _chunks;

    internal TimeProvider Clock => _clock;

    /// <summary>
    /// Saves while the caller waits: each chunk is copied from the caller's shards, hashed and written, then the
    /// manifest is committed. No second copy of the checkpoint is held in memory. The shards must not change until
    /// this returns; for saves that must not stall training use <see cref="AsyncCheckpointSaver"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The request is malformed (shards not an exact cover, bad id, ...).</exception>
    /// <exception cref="StaleAttemptException">A newer attempt has committed, or <paramref name="fence"/> refused.</exception>
    public async Task<CheckpointSaveResult> SaveAsync(CheckpointSaveRequest request, CommitFence? fence, CancellationToken cancellationToken)
    {
        var source = new StreamingSource(request, Options.ChunkSize, _clock);
        return await Writer.WriteAsync(source, fence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One process's part of a distributed save (PyTorch DCP's write phase): writes the chunks of
    /// <paramref name="request"/>'s shards, which need not cover each tensor (the other processes save the rest), and a
    /// shard list numbered <paramref name="part"/>. Nothing is committed; see <see cref="CommitPartsAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The request is malformed (shards overlapping or outside a tensor, bad id, negative part).</exception>
    public Task<CheckpointPart> WritePartAsync(CheckpointSaveRequest request, int part, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        var source = new StreamingSource(request, Options.ChunkSize, _clock, wholeCover: false);
        return Writer.WritePartAsync(source, part, cancellationToken);
    }

    /// <summary>
    /// The coordinator's commit of a distributed save, once every process's <see cref="WritePartAsync"/> has returned:
    /// merges parts 0 .. <paramref name="parts"/>-1 into one manifest and commits it, fenced as <see cref="SaveAsync"/>.
    /// The parts are removed whatever the outcome. The result's write duration is the slowest part's plus the merge and commit.
    /// </summary>
    /// <exception cref="IOException">A part is missing, or a chunk it names was collected before the commit.</exception>
    /// <exception cref="InvalidDataException">The parts disagree, overlap, or leave part of a tensor unsaved.</exception>
    /// <exception cref="StaleAttemptException">A newer attempt has committed, or <paramref name="fence"/> refused.</exception>
    public Task<CheckpointSaveResult> CommitPartsAsync(CheckpointId id, int parts, CommitFence? fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        id.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        return Writer.CommitPartsAsync(id, parts, fence, cancellationToken);
    }

    /// <summary>Removes the parts of a distributed save that will not be committed (a process failed to write its part).</summary>
    public void DiscardParts(CheckpointId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        id.Validate();
        Writer.DiscardParts(id);
    }

    /// <summary>
    /// Records in the store that <paramref name="attempt"/> is now the job's current attempt, under the exclusive store
    /// lock; every later commit of an older attempt is refused with <see cref="StaleAttemptException"/>, even before
    /// this attempt has committed anything. A new attempt calls this when it starts, before it restores. Claiming the
    /// current attempt again changes nothing.
    /// </summary>
    /// <returns>The job's current attempt afterwards: <paramref name="attempt"/>, or a newer one that had claimed (or
    /// committed) first, in which case this attempt is stale and can commit nothing.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> cannot name a job or <paramref name="attempt"/> is below 1.</exception>
    public async Task<int> ClaimAttemptAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        CheckpointId.ValidateJobId(jobId);
        if (attempt < 1) throw new ArgumentException($"attempt must be 1 or more, got {attempt}", nameof(attempt));
        using (await _lock.ExclusiveAsync(cancellationToken).ConfigureAwait(false))
        {
            int? recorded;
            try
            {
                recorded = _attempts.Read(jobId);
            }
            catch (IOException)
            {
                recorded = null; // unreadable: rewritten below with what the manifests allow
            }

            var current = Math.Max(recorded ?? 0, _manifests.List(jobId).Select(id => id.Attempt).DefaultIfEmpty(0).Max());
            if (current >= attempt) return current;
            _attempts.Write(jobId, attempt);
            return attempt;
        }
    }

    /// <summary>The job's committed checkpoints, oldest first. Listing does not read or verify them.</summary>
    public IReadOnlyList<CheckpointId> List(string jobId)
    {
        CheckpointId.ValidateJobId(jobId);
        return _manifests.List(jobId);
    }

    /// <summary>Jobs that have a directory in the store.</summary>
    public IReadOnlyList<string> Jobs() => _manifests.Jobs();

    /// <summary>Reads a manifest and checks its checksum and structure (not its chunks; see <see cref="VerifyAsync"/>).</summary>
    /// <exception cref="CheckpointDamagedException">Missing, torn or altered.</exception>
    public Task<CheckpointManifest> LoadManifestAsync(CheckpointId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        id.Validate();
        return _manifests.ReadAsync(id, cancellationToken);
    }

    /// <summary>Reads every chunk the manifest references and checks its length and SHA-256.</summary>
    /// <exception cref="CheckpointDamagedException">A chunk is missing or corrupt; the message names it.</exception>
    public async Task VerifyAsync(CheckpointManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var shard in manifest.Tensors.SelectMany(t => t.Shards))
        {
            for (var i = 0; i < shard.Chunks.Count; i++)
            {
                var expected = (int)Math.Min(manifest.ChunkSize, shard.ByteLength - (long)i * manifest.ChunkSize);
                await _chunks.ReadVerifiedAsync(manifest.Id.ToString(), shard.Chunks[i], expected, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The newest checkpoint of the job whose manifest and chunks all verify, or null when there is none. Damaged
    /// newer ones are skipped (and listed in <paramref name="skipped"/> when given), so a restore falls back.
    /// </summary>
    public async Task<CheckpointManifest?> LatestValidAsync(string jobId, CancellationToken cancellationToken, ICollection<CheckpointDamagedException>? skipped = null)
    {
        foreach (var id in List(jobId).Reverse())
        {
            try
            {
                var manifest = await _manifests.ReadAsync(id, cancellationToken).ConfigureAwait(false);
                await VerifyAsync(manifest, cancellationToken).ConfigureAwait(false);
                return manifest;
            }
            catch (CheckpointDamagedException damaged)
            {
                skipped?.Add(damaged);
            }
        }

        return null;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the row-major bytes of <paramref name="slice"/> of a tensor, assembled
    /// from whichever saved shards overlap it, so a checkpoint saved under one layout restores under another.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such tensor.</exception>
    /// <exception cref="ArgumentException">The slice is outside the tensor or the destination has the wrong length.</exception>
    /// <exception cref="CheckpointDamagedException">A chunk it needs is missing or corrupt.</exception>
    public Task ReadSliceAsync(CheckpointManifest manifest, string tensorName, TensorSlice slice, Memory<byte> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(slice);
        return new SliceAssembler(_chunks).ReadAsync(manifest, tensorName, slice, destination, cancellationToken);
    }

    /// <summary>Reads a whole tensor (all shards) as row-major bytes.</summary>
    public async Task<byte[]> ReadTensorAsync(CheckpointManifest manifest, string tensorName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var tensor = manifest.Tensor(tensorName);
        if (tensor.ByteLength > Array.MaxLength)
        {
            throw new ArgumentException($"tensor '{tensorName}' of checkpoint {manifest.Id} has {tensor.ByteLength} bytes, more than one array holds; read it in slices with ReadSliceAsync", nameof(tensorName));
        }

        var bytes = new byte[tensor.ByteLength];
        await ReadSliceAsync(manifest, tensorName, TensorSlice.Whole(tensor.GlobalShape), bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>Protects a committed checkpoint from garbage collection until unpinned.</summary>
    /// <exception cref="KeyNotFoundException">The checkpoint is not committed.</exception>
    public void Pin(CheckpointId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        id.Validate();
        if (!_manifests.Exists(id)) throw new KeyNotFoundException($"checkpoint {id} is not committed, so it cannot be pinned");
        _manifests.Pin(id);
    }

    /// <summary>Lets garbage collection treat the checkpoint normally again; no effect when it is not pinned.</summary>
    public void Unpin(CheckpointId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        id.Validate();
        _manifests.Unpin(id);
    }

    /// <summary>Whether the checkpoint is pinned.</summary>
    public bool IsPinned(CheckpointId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        id.Validate();
        return _manifests.IsPinned(id);
    }

    /// <summary>
    /// Keeps the newest <paramref name="keep"/> readable checkpoints per job and every pinned one; removes the other
    /// manifests and all chunks that neither a kept manifest nor a save in flight references.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keep"/> is below 1.</exception>
    public Task<GarbageCollectionReport> CollectGarbageAsync(int keep, CancellationToken cancellationToken) =>
        Collector().CollectAsync(keep, job: null, cancellationToken);

    /// <summary>
    /// Keeps the newest <paramref name="keep"/> readable checkpoints of one job and its pinned ones, removing its
    /// other manifests; other jobs' checkpoints are left as they are. Then removes every chunk that no remaining
    /// manifest (of any job) and no save in flight references. For jobs that each want their own <c>keep</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> cannot name a job.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keep"/> is below 1.</exception>
    public Task<GarbageCollectionReport> CollectGarbageAsync(string jobId, int keep, CancellationToken cancellationToken)
    {
        CheckpointId.ValidateJobId(jobId);
        return Collector().CollectAsync(keep, jobId, cancellationToken);
    }

    private GarbageCollector Collector() => new(_paths, _files, _chunks, _manifests, _lock, Options, _clock);

    /// <summary>
    /// Counts stored chunks and bytes and the logical bytes of all readable checkpoints, for the deduplication ratio.
    /// The first call reads every manifest and asks for the length of every chunk file; later calls on this instance
    /// list them again but read only manifests committed (or changed) since and measure only chunk files not seen
    /// before, so reporting the ratio after every save costs little however large the store has grown.
    /// </summary>
    public Task<StoreUsage> GetUsageAsync(CancellationToken cancellationToken) => _usage.CountAsync(cancellationToken);
}
