namespace Orchestrator.Cli.Commands;

/// <summary>What <c>orch eval runtime</c> prints (null denoised seconds when no denoised file was given).</summary>
internal sealed record EvalRuntimeEstimate(string Model, int PromptTokens, int OutputTokens, double IdealizedSeconds, double? DenoisedSeconds);
