using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Adapters;

/// <summary>
/// One request and where it came from (HELM's <c>RequestState</c> before the model answers): its instance, the
/// reference it scores (separate multiple choice), the mode (<c>original</c>/<c>calibration</c>), the train trial,
/// the letter-to-reference mapping (joint multiple choice), and for language modelling the conditioning tokens.
/// </summary>
/// <param name="Instance">The evaluated instance.</param>
/// <param name="ReferenceIndex">The reference this request scores, or null.</param>
/// <param name="RequestMode"><c>original</c> or <c>calibration</c> for separate multiple choice, else null.</param>
/// <param name="TrainTrialIndex">Train trial (which in-context examples).</param>
/// <param name="OutputMapping">For multiple_choice_joint: letter to reference text.</param>
/// <param name="Request">The request.</param>
/// <param name="NumTrainInstances">In-context examples left in the prompt after fitting.</param>
/// <param name="PromptTruncated">Whether the prompt was cut from the right to fit.</param>
/// <param name="NumConditioningTokens">Leading prompt tokens that are not scored (language modelling).</param>
public sealed record RequestState(
    Instance Instance,
    int? ReferenceIndex,
    string? RequestMode,
    int TrainTrialIndex,
    IReadOnlyDictionary<string, string>? OutputMapping,
    ModelRequest Request,
    int NumTrainInstances,
    bool PromptTruncated,
    int NumConditioningTokens = 0);
