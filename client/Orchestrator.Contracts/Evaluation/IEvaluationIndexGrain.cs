namespace Orchestrator.Contracts.Evaluation;

/// <summary>Which evaluation runs evaluate each training job (key <c>default</c>): <c>orch job</c> shows their latest scores.</summary>
public interface IEvaluationIndexGrain : IGrainWithStringKey
{
    /// <summary>Records that <paramref name="runId"/> evaluates checkpoints of <paramref name="trainingJobId"/>.</summary>
    Task AddAsync(string trainingJobId, string runId);

    /// <summary>The runs that evaluate checkpoints of <paramref name="trainingJobId"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> RunsOfAsync(string trainingJobId);
}
