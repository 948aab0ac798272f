using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// Trained once for all resharding tests: a t2·p2·d1 run of <see cref="Steps"/> steps (the reference), and the same
/// run stopped at step <see cref="SavedAt"/> with its checkpoint in <see cref="Saved"/> (job "job", attempt 1).
/// </summary>
public sealed class ReshardingSource : IAsyncLifetime
{
    public const int SavedAt = 3;
    public const int Steps = 6;
    public const string Job = "job";

    public static readonly TrainingOptions Original = CheckpointResumeTests.Small with { TensorParallelSize = 2, PipelineParallelSize = 2, Steps = Steps };

    internal TemporaryCheckpointStore Saved { get; } = new();

    public TrainingResult Continuing { get; private set; } = null!;

    public TrainingResult First { get; private set; } = null!;

    public static TrainingCheckpointing Checkpointing(Orchestrator.Checkpoints.CheckpointStore store, int attempt) =>
        new(store, Job, attempt, CheckpointInterval.EverySteps(1000));

    public async Task InitializeAsync()
    {
        Continuing = await TrainingLoop.RunAsync(Original, new RecordingObserver(), CancellationToken.None);
        First = await TrainingLoop.RunAsync(Original with { Steps = SavedAt }, new RecordingObserver(), CancellationToken.None, Checkpointing(Saved.Store, 1));
    }

    public Task DisposeAsync()
    {
        Saved.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The saved checkpoint's id.</summary>
    public static CheckpointId Checkpoint => new(Job, SavedAt, 1);
}
