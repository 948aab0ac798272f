namespace Orchestrator.Evaluation.Profiles;

/// <summary>How far a fitted profile's estimates are from measurements it was not fitted on.</summary>
/// <param name="Count">Held-out measurements compared.</param>
/// <param name="MeanAbsoluteSeconds">Mean |estimate − measured|.</param>
/// <param name="MeanRelative">Mean |estimate − measured| / measured.</param>
/// <param name="MaxRelative">Largest |estimate − measured| / measured.</param>
public sealed record RuntimeFitError(int Count, double MeanAbsoluteSeconds, double MeanRelative, double MaxRelative);
