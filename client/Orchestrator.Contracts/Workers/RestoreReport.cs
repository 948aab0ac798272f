namespace Orchestrator.Contracts.Workers;

/// <summary>How a worker started its attempt: from a checkpoint (possibly resharded) or from scratch.</summary>
/// <param name="Step">The step training resumes at; 0 when no checkpoint was restored.</param>
/// <param name="SavedByAttempt">The attempt that saved the checkpoint; 0 when none.</param>
/// <param name="SavedLayout">The layout it was saved under; null when none.</param>
/// <param name="Layout">The layout it was restored into.</param>
/// <param name="Seconds">Time spent reading and loading it.</param>
/// <param name="Skipped">Newer checkpoints refused as damaged, each with the reason.</param>
[GenerateSerializer, Immutable]
public sealed record RestoreReport(
    [property: Id(0)] long Step,
    [property: Id(1)] int SavedByAttempt,
    [property: Id(2)] string? SavedLayout,
    [property: Id(3)] string Layout,
    [property: Id(4)] double Seconds,
    [property: Id(5)] IReadOnlyList<string> Skipped);
