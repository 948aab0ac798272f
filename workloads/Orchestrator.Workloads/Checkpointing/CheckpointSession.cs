using System.Diagnostics;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;
using Orchestrator.Workloads.Training;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Checkpointing;

/// <summary>
/// The checkpointing side of one training run: restores before the first step, saves at the step boundaries the
/// interval asks for (two-phase: training waits only for the snapshot), honours checkpoint-and-stop requests, saves
/// the final step, and reports every outcome to the observer from the loop's own thread of control.
/// </summary>
/// <remarks>
/// In a run split over processes (PyTorch DCP's plan/commit split) every process writes its own ranks' shards and a
/// shard list into the store, the processes agree that all parts are durable, and the process hosting rank 0 merges
/// them and commits the manifest (fenced as any commit). When to save is agreed too: the coordinator decides whether
/// a save is due, any process's stop request or cancellation counts for all. Parts are written while training waits
/// (the snapshot-then-write overlap of a single process is not used: the agreement that they are durable is a
/// collective on the training threads, which a background write cannot join).
/// </remarks>
internal sealed class CheckpointSession : IAsyncDisposable
{
    private readonly TrainingCheckpointing _settings;
    private readonly TrainingOptions _options;
    private readonly AsyncCheckpointSaver _saver;
    private readonly List<PendingSave> _pending = [];
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private long _lastStep;
    private TimeSpan? _lastStall;
    private readonly ProcessPlacement? _placement;
    private bool _fenced;

    /// <param name="settings">Where and when to checkpoint.</param>
    /// <param name="options">The run.</param>
    /// <param name="placement">Null when every rank runs in this process; otherwise this process's share of a split run.</param>
    public CheckpointSession(TrainingCheckpointing settings, TrainingOptions options, ProcessPlacement? placement = null)
    {
        _placement = placement;
        settings.Validate();
        _settings = settings;
        _options = options;
        _lastStep = options.StartStep;
        Layout = new CheckpointLayout(options.TensorParallelSize, options.PipelineParallelSize, options.DataParallelSize, options.ExpertParallelSize, options.VirtualStages);
        _saver = new AsyncCheckpointSaver(settings.Store, SaveOverlapPolicy.Skip, settings.Fence);
    }

    /// <summary>The layout this run saves under.</summary>
    public CheckpointLayout Layout { get; }

    /// <summary>The checkpoint this run resumed from, if any.</summary>
    public CheckpointId? RestoredFrom { get; private set; }

    /// <summary>The newest checkpoint this run committed, if any.</summary>
    public CheckpointId? LastCommitted { get; private set; }

    /// <summary>
    /// Maps the snapshot buffers while restoring the newest usable checkpoint (when asked to). Returns the step to
    /// continue at (null: none restored) and whether the ranks must be rebuilt because a damaged checkpoint was
    /// partly written into them and nothing older could be used.
    /// </summary>
    public async Task<(long? ResumeStep, bool RebuildRanks)> PrepareAsync(IReadOnlyList<RankTrainingState> ranks, CancellationToken cancellationToken)
    {
        var chunkSize = _settings.Store.Options.ChunkSize;
        // A split run's parts are written straight from the tensors: no snapshot buffers to map.
        var reserve = _placement is not null ? Task.CompletedTask : Task.Run(() => _saver.Reserve(TrainingCheckpointCapture.SnapshotBytes(ranks, chunkSize)), cancellationToken);
        (long?, bool) outcome = (null, false);
        // From here on the store refuses commits of older attempts, even before this one commits anything: a zombie
        // of the previous attempt still writing cannot commit over what this attempt restores.
        var current = await _settings.Store.ClaimAttemptAsync(_settings.JobId, _settings.Attempt, cancellationToken).ConfigureAwait(false);
        if (current > _settings.Attempt)
        {
            _fenced = true;
            var stale = new CheckpointId(_settings.JobId, _options.StartStep, _settings.Attempt);
            await Observe(o => o.OnSaveFailedAsync(new CheckpointSaveFailed(stale, new StaleAttemptException(stale, $"attempt {current} has started"), Fenced: true), cancellationToken)).ConfigureAwait(false);
        }

        if (_settings.Restore)
        {
            var watch = Stopwatch.StartNew();
            var (restored, skipped) = await new TrainingCheckpointRestorer(_settings.Store, _options)
                .RestoreLatestAsync(_settings.JobId, ranks, cancellationToken).ConfigureAwait(false);
            if (restored is not null)
            {
                RestoredFrom = restored.Id;
                _lastStep = restored.Step;
                outcome = (restored.Step, false);
                await Observe(o => o.OnRestoredAsync(new CheckpointRestored(restored.Id, restored.Layout, Layout, watch.Elapsed.TotalSeconds, skipped), cancellationToken)).ConfigureAwait(false);
            }
            else if (skipped.Count > 0)
            {
                outcome = (null, true);
                await Observe(o => o.OnNoUsableCheckpointAsync(skipped, cancellationToken)).ConfigureAwait(false);
            }
            else if (_settings.StartFrom is { } start)
            {
                var from = await new TrainingCheckpointRestorer(_settings.Store, _options).RestoreWeightsAsync(start, ranks, cancellationToken).ConfigureAwait(false);
                await Observe(o => o.OnStartedFromAsync(new CheckpointRestored(from.Id, from.Layout, Layout, watch.Elapsed.TotalSeconds, []), cancellationToken)).ConfigureAwait(false);
            }
        }

        await reserve.ConfigureAwait(false);
        _sinceLast.Restart();
        return outcome;
    }

    /// <summary>
    /// At the boundary before step <paramref name="step"/> (that many steps completed): reports saves that finished,
    /// then either checkpoints and asks the loop to stop (a stop was requested), or starts a save if one is due.
    /// The final step is left to <see cref="FinishAsync"/>.
    /// </summary>
    /// <returns>True when the loop must stop here.</returns>
    public async Task<bool> AtStepBoundaryAsync(ITrainingRanks ranks, long step, CancellationToken cancellationToken)
    {
        await ReportFinishedAsync(waitForAll: false, cancellationToken).ConfigureAwait(false);
        if (step >= _options.Steps)
        {
            return false;
        }

        // While the previous save is still writing this one would be skipped (waiting would stall training), so it
        // is not even prepared; the next boundary asks again.
        var due = !_fenced && !_saver.IsSaving(_settings.JobId) && _settings.Interval.IsDue(step - _lastStep, _sinceLast.Elapsed, _lastStall);
        var (cancelled, stop) = (cancellationToken.IsCancellationRequested, _settings.Control.StopRequested);
        if (_placement is not null)
        {
            (cancelled, stop, due) = Agree(ranks, cancelled, stop, due);
        }

        if (cancelled)
        {
            return false;
        }

        if (stop)
        {
            await SaveAndCommitAsync(ranks, step, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (due)
        {
            await BeginSaveAsync(ranks, step, Stopwatch.GetTimestamp()).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>
    /// After the last step: saves it (unless that checkpoint already exists) and waits for every commit. Saves
    /// nothing once the run is cancelled (<see cref="DisposeAsync"/> still reports saves in flight).
    /// </summary>
    public async Task FinishAsync(ITrainingRanks ranks, long step, CancellationToken cancellationToken)
    {
        var cancelled = cancellationToken.IsCancellationRequested;
        if (_placement is not null)
        {
            (cancelled, _, _) = Agree(ranks, cancelled, stop: false, due: false);
        }

        if (!cancelled)
        {
            await SaveAndCommitAsync(ranks, step, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the saves in flight and reports them, starting none: when a run is cancelled, the checkpoints it
    /// took before are still committed.
    /// </summary>
    public Task CompleteInFlightAsync() => ReportFinishedAsync(waitForAll: true, CancellationToken.None);

    /// <summary>Completes the saves in flight (see <see cref="CompleteInFlightAsync"/>) and releases the saver.</summary>
    public async ValueTask DisposeAsync()
    {
        await CompleteInFlightAsync().ConfigureAwait(false);
        await _saver.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SaveAndCommitAsync(ITrainingRanks ranks, long step, CancellationToken cancellationToken)
    {
        // This save must happen, so it waits for the previous one instead of being skipped; that wait counts as
        // stall, and the previous outcome decides whether this attempt may still save at all (it may be fenced).
        var started = Stopwatch.GetTimestamp();
        await ReportFinishedAsync(waitForAll: true, cancellationToken).ConfigureAwait(false);
        // The commit just awaited may have fenced this attempt, which only the coordinator knows: all must, before
        // deciding whether to save (a save is a collective).
        if (_placement is not null) Agree(ranks, cancelled: false, stop: false, due: false);
        if (!_fenced && step != _lastStep)
        {
            await BeginSaveAsync(ranks, step, started).ConfigureAwait(false);
            await ReportFinishedAsync(waitForAll: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BeginSaveAsync(ITrainingRanks ranks, long step, long started)
    {
        var states = ranks.States;
        var moments = new IReadOnlyList<(Tensor ExpAvg, Tensor ExpAvgSq)>[states.Count];
        // States are in local-rank order (all ranks, or this process's share of a split run).
        var index = ranks.LocalRanks.Select((rank, i) => (rank, i)).ToDictionary(p => p.rank, p => p.i);
        // Under ZeRO-1 exporting the moments is a collective, so every rank does it on its own thread.
        await Task.Run(() => ranks.Run((rank, _) => moments[index[rank]] = states[index[rank]].Optimizer.ExportMoments()), CancellationToken.None).ConfigureAwait(false);
        var id = new CheckpointId(_settings.JobId, step, _settings.Attempt);
        var metadata = TrainingCheckpointMetadata.Create(_options, states[0].Optimizer.StepCount);
        Task<CheckpointSaveResult>? completion;
        using (var capture = TrainingCheckpointCapture.Create(id, Layout, step * _options.GlobalBatch, metadata, states, moments))
        {
            if (_placement is not null)
            {
                completion = await WritePartAsync(ranks, capture.Request, _placement).ConfigureAwait(false);
            }
            else
            {
                // Phase 2 is not tied to the run's token: a checkpoint whose snapshot was taken is worth committing.
                var ticket = await _saver.BeginSaveAsync(capture.Request, CancellationToken.None).ConfigureAwait(false);
                completion = ticket.Skipped ? null : ticket.Completion;
            }
        }

        if (completion is null && _placement is null)
        {
            return;
        }

        var stall = Stopwatch.GetElapsedTime(started);
        _lastStep = step;
        _lastStall = stall;
        _sinceLast.Restart();
        if (completion is not null) _pending.Add(new PendingSave(id, stall, CommitAndCollectAsync(completion)));
    }

    /// <summary>
    /// A split run's save: writes this process's part, agrees with the others that every part is durable, and on the
    /// coordinator returns the commit of the merged manifest (null on the other processes, which report nothing).
    /// </summary>
    private async Task<Task<CheckpointSaveResult>?> WritePartAsync(ITrainingRanks ranks, CheckpointSaveRequest request, ProcessPlacement placement)
    {
        Exception? failure = null;
        try
        {
            await _settings.Store.WritePartAsync(request, placement.ThisProcess, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // As in one process, a failed write costs this checkpoint only; the others must still hear of it below.
            failure = error;
        }

        var anyFailed = await Task.Run(() => ProcessAgreement.Any(ranks, failure is not null)[0], CancellationToken.None).ConfigureAwait(false);
        if (!ranks.LocalRanks.Contains(0))
        {
            return null;
        }

        var processes = placement.ProcessOfRank.Max() + 1;
        if (!anyFailed)
        {
            return _settings.Store.CommitPartsAsync(request.Id, processes, _settings.Fence, CancellationToken.None);
        }

        _settings.Store.DiscardParts(request.Id);
        return Task.FromException<CheckpointSaveResult>(
            failure ?? new IOException($"checkpoint {request.Id} was not committed: another process of the run failed to write its part"));
    }

    private async Task<(CheckpointSaveResult Result, string? CollectionError)> CommitAndCollectAsync(Task<CheckpointSaveResult> completion)
    {
        var result = await completion.ConfigureAwait(false);
        try
        {
            // Only this job's checkpoints are pruned: other jobs in the store keep their own number.
            await _settings.Store.CollectGarbageAsync(_settings.JobId, _settings.Keep, CancellationToken.None).ConfigureAwait(false);
            return (result, null);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The checkpoint is committed; a failed collection only leaves old ones in place, and is reported with it.
            return (result, error.Message);
        }
    }

    /// <summary>Reports finished saves in the order they were taken; with <paramref name="waitForAll"/>, waits for all first.</summary>
    private async Task ReportFinishedAsync(bool waitForAll, CancellationToken cancellationToken)
    {
        while (_pending.Count > 0 && (waitForAll || _pending[0].Outcome.IsCompleted))
        {
            var save = _pending[0];
            _pending.RemoveAt(0);
            // Outcomes are awaited without throwing: a failed save costs that checkpoint only, and training goes on.
            await ((Task)save.Outcome).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            if (save.Outcome.IsCompletedSuccessfully)
            {
                var (result, collectionError) = save.Outcome.Result;
                LastCommitted = result.Manifest.Id;
                await Observe(o => o.OnCommittedAsync(
                    new CheckpointCommitted(save.Checkpoint, save.Stall.TotalSeconds, result.WriteDuration.TotalSeconds, result.Manifest.LogicalBytes,
                        result.WrittenBytes, result.ChunksWritten, result.ChunksReused, collectionError),
                    cancellationToken)).ConfigureAwait(false);
                continue;
            }

            var error = save.Outcome.Exception?.InnerException ?? new TaskCanceledException(save.Outcome);
            // A stale attempt can commit nothing any more, so it stops saving.
            _fenced |= error is StaleAttemptException;
            await Observe(o => o.OnSaveFailedAsync(new CheckpointSaveFailed(save.Checkpoint, error, Fenced: error is StaleAttemptException), cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One collective for the decisions of a split run's boundary: any process's cancellation or stop request counts;
    /// whether a save is due, and whether this attempt is fenced, is the coordinator's to say (only it commits).
    /// </summary>
    private (bool Cancelled, bool Stop, bool Due) Agree(ITrainingRanks ranks, bool cancelled, bool stop, bool due)
    {
        var coordinator = ranks.LocalRanks.Contains(0);
        var agreed = ProcessAgreement.Any(ranks, cancelled, stop, coordinator && due, coordinator && _fenced);
        _fenced = agreed[3];
        return (agreed[0], agreed[1], agreed[2]);
    }

    private ValueTask Observe(Func<ICheckpointObserver, ValueTask> report) =>
        _settings.Observer is { } observer ? report(observer) : ValueTask.CompletedTask;

    private sealed record PendingSave(CheckpointId Checkpoint, TimeSpan Stall, Task<(CheckpointSaveResult Result, string? CollectionError)> Outcome);
}
