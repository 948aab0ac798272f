using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Lifecycle;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Simulation.Workloads;

namespace Orchestrator.Simulation.Engine;

/// <summary>One job's life in a run: its lifecycle state (moved only as <see cref="JobStateMachine"/> allows), its work left and its accounts.</summary>
internal sealed class SimulatedJob(WorkloadJob spec, ParallelLayout layout)
{
    public WorkloadJob Spec { get; } = spec;

    public string JobId => Spec.JobId;

    public int Gpus => Layout.WorldSize;

    public ParallelLayout Layout { get; } = layout;

    public JobDemand Demand { get; } = spec.GpuMilli is { } milli ? JobDemand.Shared(milli, spec.GpuType) : JobDemand.Fixed(layout, spec.GpuType);

    /// <summary>Devices' worth it holds while running: its fraction for a share of one device, else its device count.</summary>
    public double GpuShare => Spec.GpuMilli is { } milli ? milli / (double)GpuShareRules.Milli : Gpus;

    public JobState State { get; private set; } = JobState.Pending;

    public QueueEntry? Entry { get; set; }

    /// <summary>Work not yet saved in a checkpoint (or finished).</summary>
    public double RemainingWork { get; set; } = spec.WorkSeconds;

    /// <summary>Attempts started so far; events of an earlier attempt are stale.</summary>
    public int Attempt { get; private set; }

    /// <summary>Attempts that ended in a fault (what the restart policy counts).</summary>
    public int FailedAttempts { get; set; }

    public double NotBefore { get; set; }

    public double? FirstStart { get; private set; }

    public double? End { get; set; }

    /// <summary>When the current attempt was expected to end when it started (what later passes are told).</summary>
    public double? ExpectedEnd { get; set; }

    /// <summary>The current attempt: when it started, its set-up time before the first step, the work it set out to do.</summary>
    public (double StartedAt, double Setup, double Work) Current { get; private set; }

    public IReadOnlyList<string> Devices { get; set; } = [];

    public bool Draining { get; set; }

    public double UsefulGpuSeconds { get; set; }

    public double LostGpuSeconds { get; set; }

    public double HeldGpuSeconds { get; set; }

    public int Preemptions { get; set; }

    public int Failures { get; set; }

    /// <summary>Wall-clock seconds the next attempt is expected to hold its devices (what backfill is told).</summary>
    public double ExpectedWall(CheckpointClock clock, double restartSeconds) => (Attempt > 0 ? restartSeconds : 0) + clock.WallFor(RemainingWork);

    public void Begin(double now, double setup, IReadOnlyList<string> devices)
    {
        if (State is JobState.Pending) MoveTo(JobState.Planning);
        MoveTo(JobState.Placed);
        MoveTo(JobState.Starting);
        MoveTo(JobState.Running);
        Attempt++;
        FirstStart ??= now;
        Current = (now, setup, RemainingWork);
        Devices = devices;
        Draining = false;
    }

    /// <summary>Work done and saved by the current attempt at <paramref name="now"/>.</summary>
    public (double Done, double Saved) Progress(double now, CheckpointClock clock) =>
        clock.Progress(now - Current.StartedAt - Current.Setup, Current.Work);

    public void MoveTo(JobState next)
    {
        if (!JobStateMachine.TryTransition(State, next, out var error))
            throw new InvalidOperationException($"job {JobId}: {error}");
        State = next;
    }
}
