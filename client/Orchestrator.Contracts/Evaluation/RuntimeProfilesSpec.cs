namespace Orchestrator.Contracts.Evaluation;

/// <summary>HELM runtime-profile files (absolute paths once the SDK has read them).</summary>
/// <param name="Idealized">The idealized-runtime profiles (HELM's <c>inference_idealized_runtimes.json</c> shape).</param>
/// <param name="Denoised">The denoised-runtime profiles, or null.</param>
[GenerateSerializer, Immutable]
public sealed record RuntimeProfilesSpec([property: Id(0)] string Idealized, [property: Id(1)] string? Denoised = null);
