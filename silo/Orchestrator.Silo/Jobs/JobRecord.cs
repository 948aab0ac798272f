using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Lifecycle;

namespace Orchestrator.Silo.Jobs;

/// <summary>The persisted state of one job grain.</summary>
[GenerateSerializer]
internal sealed class JobRecord
{
    [Id(0)] public TrainingJobSpec? Spec { get; set; }

    /// <summary>The user who submitted it; null when submitted without authentication. (A high id: other fields grow from the low end.)</summary>
    [Id(40)] public string? Owner { get; set; }

    [Id(1)] public JobState State { get; set; }

    [Id(2)] public DateTimeOffset SubmittedAt { get; set; }

    [Id(3)] public DateTimeOffset? FinishedAt { get; set; }

    [Id(4)] public JobProgress? Progress { get; set; }

    [Id(5)] public List<AttemptRecord> Attempts { get; set; } = [];

    [Id(6)] public List<JobEvent> Events { get; set; } = [];

    [Id(7)] public string? Message { get; set; }

    /// <summary>Nodes of the current attempt that reported all steps done.</summary>
    [Id(8)] public List<string> CompletedNodes { get; set; } = [];

    /// <summary>Checkpoints committed by the job's workers, oldest first (the newest <see cref="MaxCheckpointRecords"/>).</summary>
    [Id(9)] public List<CheckpointRecord> Checkpoints { get; set; } = [];

    [Id(10)] public GoodputLedger Goodput { get; set; } = new();

    /// <summary>Set while the running attempt has been asked to checkpoint and stop.</summary>
    [Id(11)] public PreemptionRequest? Preempting { get; set; }

    /// <summary>Events recorded over the job's life, including those the ring no longer holds (numbers the next one).</summary>
    [Id(12)] public long EventsRecorded { get; set; }

    /// <summary>Time limit, dependencies, bounded attempt history and index page. (A high id, as for <see cref="Owner"/>.)</summary>
    [Id(50)] public JobLifecycleRecord Lifecycle { get; set; } = new();

    /// <summary>
    /// How many events a job keeps: a ring, so that a long job that checkpoints every few steps does not grow its record
    /// forever. Notes (events without a state change) leave first; the counts live on in <see cref="EventsRecorded"/>,
    /// the checkpoint records and the goodput ledger.
    /// </summary>
    public const int MaxEvents = 500;

    /// <summary>How many checkpoint records a job keeps (the store keeps its own count, <c>checkpoint.keep</c>).</summary>
    public const int MaxCheckpointRecords = 100;

    public AttemptRecord? Current => Attempts.Count == 0 ? null : Attempts[^1];

    public bool IsTerminal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    /// <summary>True when <paramref name="attempt"/> is the attempt in force and still running.</summary>
    public bool IsLive(int attempt) => !IsTerminal && Current is { Outcome: AttemptOutcome.Running } current && current.Number == attempt;

    public JobView ToView(string id, DateTimeOffset now) => new(id, Spec!, State, SubmittedAt, FinishedAt, Progress, Attempts.ToList(), Events.ToList(), Message,
        Checkpoints.ToList(), Goodput.View(Attempts.FirstOrDefault()?.StartedAt, FinishedAt ?? now));

    /// <summary>The newest committed checkpoint's step, 0 when none.</summary>
    public long LastCheckpointStep => Checkpoints.Count == 0 ? 0 : Checkpoints[^1].Step;

    /// <summary>Records a committed checkpoint, keeping the newest <see cref="MaxCheckpointRecords"/>.</summary>
    public void RecordCheckpoint(CheckpointRecord checkpoint)
    {
        Checkpoints.Add(checkpoint);
        if (Checkpoints.Count > MaxCheckpointRecords) Checkpoints.RemoveRange(0, Checkpoints.Count - MaxCheckpointRecords);
        Goodput.Stalled(checkpoint.StallSeconds);
    }

    public JobSummary ToSummary(string id) => new(
        id, Spec!.Metadata.Name, Spec.Metadata.Queue, Spec.Metadata.Priority, State, Spec.Resources.Gpus,
        Progress?.Step ?? 0, Spec.Training.Steps, Progress?.Loss, SubmittedAt, Owner, JobHolds.Reason(this));

    /// <summary>Records an event without a state change.</summary>
    public void Note(DateTimeOffset now, string reason, int attempt = 0) => Record(now, State, reason, attempt);

    /// <summary>Moves to <paramref name="next"/> if the lifecycle allows it, recording the event.</summary>
    /// <exception cref="InvalidOperationException">The lifecycle does not allow the move.</exception>
    public void Transition(JobState next, DateTimeOffset now, string reason)
    {
        if (!JobStateMachine.TryTransition(State, next, out var error))
            throw new InvalidOperationException(error);
        Record(now, next, reason, Current?.Number ?? 0);
        State = next;
        if (IsTerminal) FinishedAt = now;
    }

    private void Record(DateTimeOffset now, JobState next, string reason, int attempt)
    {
        // Records written before the counter existed number their events by position.
        EventsRecorded = Math.Max(EventsRecorded, Events.Count == 0 ? 0 : Events[^1].Sequence) + 1;
        Events.Add(new JobEvent(EventsRecorded, now, State, next, reason, attempt));
        if (Events.Count <= MaxEvents) return;
        var note = Events.FindIndex(e => e.From == e.To);
        Events.RemoveAt(note >= 0 ? note : 0);
    }

    /// <summary>Ends the current attempt with an outcome.</summary>
    public AttemptRecord EndAttempt(AttemptOutcome outcome, string reason, DateTimeOffset now)
    {
        var ended = Current! with { Outcome = outcome, Reason = reason, EndedAt = now, LastStep = Progress?.Step ?? Current!.LastStep };
        Attempts[^1] = ended;
        Preempting = null;
        return ended;
    }
}
