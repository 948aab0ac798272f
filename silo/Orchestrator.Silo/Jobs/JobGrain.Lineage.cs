using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Lineage;

namespace Orchestrator.Silo.Jobs;

/// <summary>The job grain's part in model lineage: checking <c>model.from</c> on submission, registering the finished model.</summary>
internal sealed partial class JobGrain
{
    private ILineageGrain Lineage => GrainFactory.GetGrain<ILineageGrain>("default");

    /// <summary>The version <c>spec.model.from</c> names must exist when the job is submitted; none when it names none.</summary>
    private async Task<IReadOnlyList<SpecError>> ValidateStartingVersionAsync(TrainingJobSpec spec)
    {
        if (spec.Model.From is not { } from) return [];
        var (_, error) = await StartingVersion.ResolveAsync(GrainFactory, from);
        return error is null ? [] : [error];
    }

    /// <summary>The checkpoint of the last step holds the finished model: register it (a failure is noted, never fatal to the job).</summary>
    private async Task RegisterModelAsync(int attempt, CheckpointReport checkpoint)
    {
        if (checkpoint.Step != Job.Spec!.Training.Steps) return;
        try
        {
            var version = await Lineage.RegisterCheckpointAsync(new CommittedModel(Id, Job.Spec, checkpoint.Step, attempt, checkpoint.Layout, Job.Progress?.Loss));
            if (version is not null) Job.Note(Now, $"registered as model version {version.Reference}{(version.Parent is { } parent ? $" ({version.ParentEdge} {parent})" : "")}", attempt);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Job.Note(Now, $"the finished model could not be registered in the lineage graph: {e.Message}", attempt);
        }
    }
}
