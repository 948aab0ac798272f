using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>Which evaluation runs evaluate each training job (key <c>default</c>): <c>orch job</c> shows their latest scores.</summary>
public interface IEvaluationIndexGrain : IGrainWithStringKey
{
    /// <summary>Records that <paramref name="runId"/> evaluates checkpoints of <paramref name="trainingJobId"/>.</summary>
    [Access(AccessScope.Internal)]
    Task AddAsync(string trainingJobId, string runId);

    /// <summary>The runs that evaluate checkpoints of <paramref name="trainingJobId"/>, oldest first.</summary>
    [Access(AccessScope.Role, Role.User)]
    Task<IReadOnlyList<string>> RunsOfAsync(string trainingJobId);
}
