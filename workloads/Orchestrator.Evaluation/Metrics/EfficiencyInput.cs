namespace Orchestrator.Evaluation.Metrics;

/// <summary>What the efficiency metrics need to know about one request and its result.</summary>
/// <param name="Model">Model (deployment) name, the key in the profile files.</param>
/// <param name="PromptTokens">Tokens in the prompt, counted with the model's tokenizer.</param>
/// <param name="CompletionTokenCounts">Tokens of each completion (echoed prompt included when echoed).</param>
/// <param name="EchoPrompt">Whether the request echoed the prompt (language modelling, separate multiple choice).</param>
/// <param name="RequestTime">Measured seconds of the request, if measured alone.</param>
/// <param name="BatchRequestTime">Measured seconds of the batch the request ran in, for offline batch inference.</param>
/// <param name="BatchSize">Requests in that batch.</param>
public sealed record EfficiencyInput(
    string Model,
    int PromptTokens,
    IReadOnlyList<int> CompletionTokenCounts,
    bool EchoPrompt = false,
    double? RequestTime = null,
    double? BatchRequestTime = null,
    int? BatchSize = null);
