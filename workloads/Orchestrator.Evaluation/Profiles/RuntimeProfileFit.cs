using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Profiles;

/// <summary>A fitted profile and its error on the held-out measurements.</summary>
/// <param name="Profile">The profile, in HELM's shape.</param>
/// <param name="FittedOn">Measurements used for the fit.</param>
/// <param name="HeldOut">Error on the measurements left out of the fit.</param>
public sealed record RuntimeProfileFit(RuntimeProfile Profile, int FittedOn, RuntimeFitError HeldOut);
