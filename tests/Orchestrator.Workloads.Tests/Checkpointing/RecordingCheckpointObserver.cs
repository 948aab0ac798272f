using Orchestrator.Workloads.Checkpointing;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>Keeps every checkpoint event; optionally runs an action when a checkpoint is committed.</summary>
internal sealed class RecordingCheckpointObserver(Action<CheckpointCommitted>? onCommitted = null) : ICheckpointObserver
{
    public List<CheckpointRestored> Restored { get; } = [];

    public List<CheckpointRestored> StartedFrom { get; } = [];

    public List<IReadOnlyList<SkippedCheckpoint>> NoUsableCheckpoint { get; } = [];

    public List<CheckpointCommitted> Committed { get; } = [];

    public List<CheckpointSaveFailed> Failed { get; } = [];

    public ValueTask OnRestoredAsync(CheckpointRestored restored, CancellationToken ct)
    {
        Restored.Add(restored);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnStartedFromAsync(CheckpointRestored restored, CancellationToken ct)
    {
        StartedFrom.Add(restored);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnNoUsableCheckpointAsync(IReadOnlyList<SkippedCheckpoint> skipped, CancellationToken ct)
    {
        NoUsableCheckpoint.Add(skipped);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnCommittedAsync(CheckpointCommitted committed, CancellationToken ct)
    {
        Committed.Add(committed);
        onCommitted?.Invoke(committed);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnSaveFailedAsync(CheckpointSaveFailed failed, CancellationToken ct)
    {
        Failed.Add(failed);
        return ValueTask.CompletedTask;
    }
}
