using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>One step of a cascade as persisted, with the spec it re-runs (its <c>model.from</c> set when it is submitted).</summary>
[GenerateSerializer]
internal sealed class CascadeStepRecord
{
    [Id(0)] public int Index { get; set; }

    [Id(1)] public CascadeStepKind Kind { get; set; }

    [Id(2)] public string Replaces { get; set; } = "";

    [Id(3)] public string OriginalJob { get; set; } = "";

    [Id(4)] public int? DependsOn { get; set; }

    /// <summary>The training job to re-run (a <see cref="CascadeStepKind.Derive"/> step); null for an evaluation or an external model.</summary>
    [Id(5)] public TrainingJobSpec? Spec { get; set; }

    /// <summary>The evaluation run to re-run (an <see cref="CascadeStepKind.Evaluate"/> step); null for a derivation or an evaluation recorded from outside.</summary>
    [Id(9)] public EvaluationJobSpec? Evaluation { get; set; }

    /// <summary>Whether there is a spec of this orchestrator to re-run.</summary>
    public bool Rerunnable => Kind == CascadeStepKind.Derive ? Spec is not null : Evaluation is not null;

    [Id(6)] public string? Job { get; set; }

    [Id(7)] public string? Produced { get; set; }

    [Id(8)] public string State { get; set; } = CascadeStates.Planned;

    public CascadeStep ToView(string? state = null) => new(Index, Kind, Replaces, OriginalJob, DependsOn, Job, Produced, state ?? State);
}
