using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Runs;

/// <summary>One request state as HELM's <c>scenario_state.json</c> lists it: which instance, how adapted, what came back.</summary>
internal sealed record RequestRecord(
    string InstanceId,
    string? Perturbation,
    int TrainTrialIndex,
    int? ReferenceIndex,
    string? RequestMode,
    int NumTrainInstances,
    bool PromptTruncated,
    ModelRequest Request,
    RequestResult Result)
{
    public static RequestRecord From(RequestState state, RequestResult result) => new(
        state.Instance.Id, state.Instance.Perturbation?.Name, state.TrainTrialIndex, state.ReferenceIndex, state.RequestMode,
        state.NumTrainInstances, state.PromptTruncated, state.Request, result);
}
