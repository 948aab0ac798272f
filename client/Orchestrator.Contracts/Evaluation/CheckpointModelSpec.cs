using System.Globalization;

namespace Orchestrator.Contracts.Evaluation;

/// <summary>A training job's checkpoint: <c>{ job: NAME, step: N | latest | every }</c>.</summary>
/// <param name="Job">The training job's id, or its name (the newest job of that name).</param>
/// <param name="Step">A step number, <c>latest</c> (the newest committed checkpoint) or <c>every</c> (each committed
/// checkpoint of a running job, as it is committed).</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointModelSpec([property: Id(0)] string Job, [property: Id(1)] string Step)
{
    /// <summary>The newest committed checkpoint.</summary>
    public const string Latest = "latest";

    /// <summary>Every checkpoint as it is committed.</summary>
    public const string Every = "every";

    /// <summary>The fixed step asked for, or null for <c>latest</c> / <c>every</c>.</summary>
    public long? FixedStep =>
        long.TryParse(Step, NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : null;
}
