namespace Orchestrator.Evaluation.Heim;

/// <summary>What an image model returned for one request.</summary>
/// <param name="Images">The images.</param>
/// <param name="RequestTime">Measured seconds of the request.</param>
public sealed record ImageGenerationResult(IReadOnlyList<GeneratedImage> Images, double? RequestTime);
