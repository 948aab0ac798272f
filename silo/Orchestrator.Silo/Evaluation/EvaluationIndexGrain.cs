using Orchestrator.Contracts.Evaluation;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Evaluation;

/// <summary>Training job id to the evaluation runs of its checkpoints (persisted; a handful of runs per job).</summary>
internal sealed class EvaluationIndexGrain(
    [PersistentState("evaluation-index", StorageNames.Durable)] IPersistentState<Dictionary<string, List<string>>> store) : Grain, IEvaluationIndexGrain
{
    public async Task AddAsync(string trainingJobId, string runId)
    {
        if (!store.State.TryGetValue(trainingJobId, out var runs)) store.State[trainingJobId] = runs = [];
        if (runs.Contains(runId)) return;
        runs.Add(runId);
        await store.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> RunsOfAsync(string trainingJobId) =>
        Task.FromResult<IReadOnlyList<string>>(store.State.TryGetValue(trainingJobId, out var runs) ? runs.ToList() : []);
}
