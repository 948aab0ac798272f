using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>
/// CheckFreq's two-phase save. Phase 1 (the caller waits) copies the shards into reusable host buffers and is
/// timed as the stall; phase 2 hashes, writes and commits in the background while training continues. At most one
/// save per job is in flight; what happens to a request that finds one running is the <see cref="SaveOverlapPolicy"/>.
/// </summary>
public sealed class AsyncCheckpointSaver : IAsyncDisposable
{
    private readonly CheckpointStore _store;
    private readonly SaveOverlapPolicy _overlap;
    private readonly CommitFence? _fence;
    private readonly ChunkBufferPool _buffers;
    private readonly ConcurrentDictionary<string, Task<CheckpointSaveResult>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _jobGates = new(StringComparer.Ordinal);

    /// <summary>Creates a saver writing into <paramref name="store"/>.</summary>
    /// <param name="store">Where checkpoints go.</param>
    /// <param name="overlap">Skip (default) or wait when a job's previous save is still writing.</param>
    /// <param name="fence">Asked before each commit whether the attempt is still current; null for none.</param>
    /// <param name="maxPooledBytes">Host memory kept for snapshot buffers between saves (default 4 GiB); beyond it buffers are allocated per save.</param>
    public AsyncCheckpointSaver(CheckpointStore store, SaveOverlapPolicy overlap = SaveOverlapPolicy.Skip, CommitFence? fence = null, long maxPooledBytes = 4L << 30)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!Enum.IsDefined(overlap)) throw new ArgumentOutOfRangeException(nameof(overlap), overlap, "overlap must be Skip or Wait");
        ArgumentOutOfRangeException.ThrowIfNegative(maxPooledBytes);
        _store = store;
        _overlap = overlap;
        _fence = fence;
        _buffers = new ChunkBufferPool(store.Options.ChunkSize, maxPooledBytes);
    }

    /// <summary>
    /// Runs phase 1 and returns when the caller's buffers may change again; phase 2 runs on the thread pool.
    /// Validation errors and failures while copying are thrown here; failures of phase 2 fault the ticket's completion.
    /// </summary>
    /// <param name="request">What to save.</param>
    /// <param name="cancellationToken">Cancels phase 1 and, if still running, phase 2 (which then commits nothing).</param>
    /// <exception cref="ArgumentException">The request is malformed.</exception>
    public async ValueTask<CheckpointSaveTicket> BeginSaveAsync(CheckpointSaveRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Id.Validate();
        var started = Stopwatch.GetTimestamp();
        var gate = _jobGates.GetOrAdd(request.JobId, _ => new SemaphoreSlim(1, 1));
        // The gate makes "check in-flight, snapshot, register" atomic per job so two callers cannot both start.
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_inFlight.TryGetValue(request.JobId, out var previous) && !previous.IsCompleted)
            {
                if (_overlap == SaveOverlapPolicy.Skip)
                {
                    return new CheckpointSaveTicket(request.Id, Skipped: true, Stopwatch.GetElapsedTime(started), 0, null);
                }

                // Waiting is for the slot, not for the previous result: its failure belongs to its own ticket.
                await ((Task)previous).ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }

            var snapshot = Snapshot.Take(request, _buffers, _store.Clock);
            var stall = Stopwatch.GetElapsedTime(started);
            var completion = Task.Run(() => WriteAndReleaseAsync(snapshot, cancellationToken), CancellationToken.None);
            _inFlight[request.JobId] = completion;
            return new CheckpointSaveTicket(request.Id, Skipped: false, stall, snapshot.Bytes, completion);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Maps snapshot buffers for <paramref name="bytes"/> of shards ahead of the first save (e.g. while the model
    /// loads). Otherwise the first snapshot pays for mapping fresh memory, which can take many times a warm copy.
    /// </summary>
    /// <returns>Bytes of buffers now ready, at most the saver's <c>maxPooledBytes</c>.</returns>
    public long Reserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return _buffers.Reserve(bytes);
    }

    /// <summary>True while a save of the job is still writing.</summary>
    public bool IsSaving(string jobId) => _inFlight.TryGetValue(jobId, out var task) && !task.IsCompleted;

    /// <summary>Waits until the job has no save in flight (its outcome is reported by its own ticket).</summary>
    public async Task WhenIdleAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_inFlight.TryGetValue(jobId, out var task))
        {
            await ((Task)task).ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for every save in flight to finish (committed or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var task in _inFlight.Values)
        {
            await ((Task)task).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task<CheckpointSaveResult> WriteAndReleaseAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        using (snapshot)
        {
            return await _store.Writer.WriteAsync(snapshot, _fence, cancellationToken).ConfigureAwait(false);
        }
    }
}
