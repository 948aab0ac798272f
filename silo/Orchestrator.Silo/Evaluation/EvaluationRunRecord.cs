using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Evaluation;

/// <summary>The persisted state of one evaluation run.</summary>
[GenerateSerializer]
internal sealed class EvaluationRunRecord
{
    [Id(0)] public EvaluationJobSpec? Spec { get; set; }

    [Id(1)] public JobState State { get; set; }

    [Id(2)] public DateTimeOffset SubmittedAt { get; set; }

    [Id(3)] public DateTimeOffset? FinishedAt { get; set; }

    [Id(4)] public ResolvedModel? Model { get; set; }

    [Id(5)] public List<EvaluationShardView> Shards { get; set; } = [];

    [Id(6)] public List<JobEvent> Events { get; set; } = [];

    [Id(7)] public List<EvaluationScore> Scores { get; set; } = [];

    [Id(8)] public string? ResultsDirectory { get; set; }

    [Id(9)] public string? Message { get; set; }

    [Id(10)] public int Instances { get; set; }

    /// <summary>For <c>step: every</c>: the checkpoints of the followed job and their runs; null for a run of one model.</summary>
    [Id(11)] public List<CheckpointEvaluation>? Checkpoints { get; set; }

    /// <summary>The submitting user (null without authentication); the owner may read and cancel the run.</summary>
    [Id(40)] public string? Owner { get; set; }

    public bool IsTerminal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    public EvaluationRunView ToView(string id) =>
        new(id, Spec!, State, SubmittedAt, FinishedAt, Model, Shards.ToList(), Events.ToList(), Scores.ToList(), ResultsDirectory, Message, Instances, Checkpoints?.ToList());

    public void Note(DateTimeOffset now, string reason) => Events.Add(new JobEvent(Events.Count + 1, now, State, State, reason, 0));

    public void Transition(JobState next, DateTimeOffset now, string reason)
    {
        Events.Add(new JobEvent(Events.Count + 1, now, State, next, reason, 0));
        State = next;
        if (IsTerminal) FinishedAt = now;
    }
}
