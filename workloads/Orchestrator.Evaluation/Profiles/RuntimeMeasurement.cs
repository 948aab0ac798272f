namespace Orchestrator.Evaluation.Profiles;

/// <summary>One measured request: its prompt and output token counts and the seconds it took.</summary>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="OutputTokens">Tokens generated.</param>
/// <param name="Seconds">Measured seconds.</param>
public sealed record RuntimeMeasurement(int PromptTokens, int OutputTokens, double Seconds);
