using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Training;

/// <summary>Keeps every step; optionally cancels the run once a given number of steps has been seen.</summary>
internal sealed class RecordingObserver(CancellationTokenSource? cancelAfter = null, int afterSteps = int.MaxValue) : IStepObserver
{
    public List<TrainingStep> Steps { get; } = [];

    public ValueTask OnStepAsync(TrainingStep step, CancellationToken ct)
    {
        Steps.Add(step);
        if (Steps.Count >= afterSteps) cancelAfter?.Cancel();
        return ValueTask.CompletedTask;
    }
}
