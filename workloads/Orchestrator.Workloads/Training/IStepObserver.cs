namespace Orchestrator.Workloads.Training;

/// <summary>Receives each completed optimizer step (the worker forwards them to the job and stage grains).</summary>
public interface IStepObserver
{
    /// <summary>Called once per step, in order, after the step's weights are updated.</summary>
    ValueTask OnStepAsync(TrainingStep step, CancellationToken ct);
}
