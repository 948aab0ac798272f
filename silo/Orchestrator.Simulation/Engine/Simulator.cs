using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Lifecycle;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Simulation.Results;
using Orchestrator.Simulation.Scenarios;
using Orchestrator.Simulation.Workloads;

namespace Orchestrator.Simulation.Engine;

/// <summary>
/// A virtual-time discrete-event run of a scenario: jobs arrive, the real scheduling pass places them (after every
/// moment at which something changed, as the scheduler grain passes on every submit and release), attempts run for
/// the planner's step times with checkpoint saves, devices fail at the scenario's rate and their jobs restart as the
/// lifecycle's <see cref="RestartPolicy"/> and <see cref="FailureClassification"/> decide. One seeded
/// <see cref="Random"/> drives every draw, so a seed fixes the run.
/// </summary>
internal sealed class Simulator
{
    private readonly SimulationScenario _scenario;
    private readonly Random _random;
    private readonly EventQueue _events = new();
    private readonly Dictionary<string, SimulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly SchedulerState _scheduler;
    private readonly CheckpointClock _clock;
    private readonly RestartPolicySpec _restartSpec;
    private readonly RestartPolicy _restart;
    private readonly MetricsRecorder _metrics;
    private readonly List<StartRecord> _starts = [];
    private readonly string[] _deviceIds;
    private int _deviceFailures;
    private int _interruptions;
    private int _preemptions;
    private int _finished;
    private double _lastEnd;
    private double _moment = -1;
    private int _handledAtMoment;

    /// <param name="scenario">The run's settings.</param>
    /// <param name="workload">The jobs submitted (from a trace or <see cref="SyntheticMix"/>).</param>
    /// <param name="stepTimes">The planner's layouts and step times, for jobs that train a model preset.</param>
    /// <param name="random">The run's random source (the same one the workload was drawn from, if it was).</param>
    public Simulator(SimulationScenario scenario, IReadOnlyList<WorkloadJob> workload, StepTimes stepTimes, Random random)
    {
        _scenario = scenario;
        _random = random;
        var topology = SimulatedCluster.Build(scenario.Cluster, scenario.Name);
        _deviceIds = topology.Devices.Select(d => d.Id).ToArray();
        _scheduler = new SchedulerState(topology, new SchedulingOptions
        {
            Backfill = scenario.Scheduler.Backfill,
            Preemption = scenario.Scheduler.Preemption,
            MaxBackfillCandidates = scenario.Scheduler.MaxBackfillCandidates,
            Policy = scenario.Scheduler.Policy,
        }, QueueQuotas.Book(scenario));
        _clock = new CheckpointClock(scenario.Checkpoints.IntervalSeconds, scenario.Checkpoints.SaveSeconds);
        _restartSpec = new RestartPolicySpec(scenario.Restart.MaxAttempts, scenario.Restart.BackoffSeconds, scenario.Restart.MaxBackoffSeconds);
        _restart = RestartPolicy.For(_restartSpec);
        _metrics = new MetricsRecorder(scenario, _scheduler, topology);
        foreach (var spec in workload)
        {
            var layout = spec.Model is { } model
                ? stepTimes.For(model, spec.GpuType ?? scenario.Cluster.Pools[0].GpuType, spec.Gpus).Layout
                : new Planning.Layout.ParallelLayout(1, 1, spec.Gpus);
            if (!_jobs.TryAdd(spec.JobId, new SimulatedJob(spec, layout)))
                throw new ScenarioException($"workload: job id {spec.JobId} appears twice");
            _events.Schedule(new SimulationEvent(spec.ArrivalSeconds, EventKind.Arrival, spec.JobId));
        }

        if (scenario.Failures.PerGpuHour > 0) ScheduleNextFailure(0);
        _events.Schedule(new SimulationEvent(0, EventKind.Sample));
    }

    public SimulationResult Run(IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var end = _scenario.DurationSeconds;
        var reported = 0;
        while (_events.PeekTime() is { } now && now <= end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = false;
            (_moment, _handledAtMoment) = now == _moment ? (_moment, _handledAtMoment) : (now, 0);
            while (_events.PeekTime() == now)
            {
                // Zero-cost saves let a preemption release at once and be followed by another pass at the same moment;
                // decisions that kept undoing each other would never let virtual time move on.
                if (++_handledAtMoment > 100_000)
                    throw new InvalidOperationException($"virtual time is stuck at {now} s: more than 100,000 events at one moment (the last a {_events.Dequeue().Kind}); the last starts: {string.Join(", ", _starts.TakeLast(6).Select(s => s.JobId))}");
                changed |= Handle(_events.Dequeue());
            }

            if (changed && _scheduler.Queues.Count > 0) Pass(now);
            if (progress is not null && (int)(now / end * 1000) > reported)
            {
                reported = (int)(now / end * 1000);
                progress.Report(reported / 1000.0);
            }

            if (_finished == _jobs.Count && _jobs.Count > 0) break;
        }

        // A run ends at its duration, or when the last job has ended if that is sooner.
        var finish = _finished == _jobs.Count && _jobs.Count > 0 ? _lastEnd : end;
        foreach (var job in _scheduler.Holding.Values.ToList()) Account(job, finish, job.Progress(finish, _clock).Done);
        progress?.Report(1);
        return _metrics.Result(_jobs.Values, finish, _deviceFailures, _interruptions, _preemptions, _starts);
    }

    /// <returns>Whether the scheduler should pass again.</returns>
    private bool Handle(SimulationEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Arrival:
                var job = _jobs[e.JobId!];
                job.Entry = _scheduler.Queues.Enqueue(job.JobId, job.Spec.Queue, job.Spec.Priority);
                return true;
            case EventKind.Completion when Current(e) is { } done:
                Account(done, e.Time, done.Current.Work);
                done.RemainingWork = 0;
                done.MoveTo(JobState.Succeeded);
                Finished(done, e.Time);
                _scheduler.Release(done);
                return true;
            case EventKind.Released when Current(e) is { } victim:
                var (worked, _) = victim.Progress(e.Time - _scenario.Checkpoints.SaveSeconds, _clock);
                Account(victim, e.Time, worked);
                victim.RemainingWork = victim.Current.Work - worked;
                victim.MoveTo(JobState.Recovering);
                Requeue(victim, _restart.Decide(Math.Max(1, victim.FailedAttempts), AttemptEndReason.Preempted).Delay, e.Time);
                _scheduler.Release(victim);
                return true;
            case EventKind.Eligible:
                return true;
            case EventKind.DeviceFailure:
                ScheduleNextFailure(e.Time);
                return Fail(e.DeviceId!, e.Time);
            case EventKind.DeviceRepaired:
                _scheduler.Index.MarkFree([e.DeviceId!]);
                _metrics.OutOfService--;
                return true;
            case EventKind.Sample:
                _metrics.Sample(e.Time);
                _events.Schedule(e with { Time = e.Time + _scenario.SampleSeconds });
                return false;
            default:
                return false; // an event of an attempt that has already ended
        }
    }

    private SimulatedJob? Current(SimulationEvent e) =>
        _jobs.TryGetValue(e.JobId!, out var job) && job.Attempt == e.Attempt && job.State == JobState.Running ? job : null;

    private void Pass(double now)
    {
        var (started, victims) = _scheduler.RunPass(now, _jobs, j => TimeSpan.FromSeconds(j.ExpectedWall(_clock, _scenario.Checkpoints.RestartSeconds)));
        foreach (var victim in victims)
        {
            // The victim saves a checkpoint, then releases its devices (Released); its preemptor waits for that.
            victim.Draining = true;
            victim.Preemptions++;
            _preemptions++;
            _events.Schedule(new SimulationEvent(now + _scenario.Checkpoints.SaveSeconds, EventKind.Released, victim.JobId, victim.Attempt));
        }

        foreach (var (job, start) in started)
        {
            var setup = job.Attempt > 0 ? _scenario.Checkpoints.RestartSeconds : 0;
            job.Begin(now, setup, start.DeviceIds);
            job.ExpectedEnd = start.EstimatedRuntime is { } runtime ? now + runtime.TotalSeconds : null;
            _starts.Add(new StartRecord(now, job.JobId, job.Attempt, start.DeviceIds, start.Backfilled));
            _events.Schedule(new SimulationEvent(now + setup + _clock.WallFor(job.RemainingWork), EventKind.Completion, job.JobId, job.Attempt));
        }
    }

    private void ScheduleNextFailure(double now)
    {
        // Failures of every device together form one Poisson process; each picks a device uniformly.
        var rate = _scenario.Failures.PerGpuHour / 3600 * _deviceIds.Length;
        var next = now - Math.Log(1 - _random.NextDouble()) / rate;
        if (next <= _scenario.DurationSeconds)
            _events.Schedule(new SimulationEvent(next, EventKind.DeviceFailure, DeviceId: _deviceIds[_random.Next(_deviceIds.Length)]));
    }

    private bool Fail(string deviceId, double now)
    {
        // One job holds a whole device; every tenant of a shared device fails with it.
        var holders = _scheduler.Holding.Values.Where(j => j.Devices.Contains(deviceId)).ToList();
        if (holders.Count == 0)
        {
            if (!_scheduler.Index.IsFree(deviceId)) return false; // already out of service
            _scheduler.Index.MarkBusy([deviceId]);
        }

        _deviceFailures++;
        _metrics.OutOfService++;
        _events.Schedule(new SimulationEvent(now + _scenario.Failures.RepairSeconds, EventKind.DeviceRepaired, DeviceId: deviceId));
        foreach (var holder in holders) Interrupt(holder, deviceId, now);
        return true;
    }

    /// <summary>Ends <paramref name="holder"/>'s attempt on a device fault: the lifecycle's rules decide (an
    /// infrastructure exit is charged to the devices, and the restart policy says whether and when the job runs
    /// again); it resumes from its last saved checkpoint.</summary>
    private void Interrupt(SimulatedJob holder, string deviceId, double now)
    {
        _interruptions++;
        holder.Failures++;
        var (done, saved) = holder.Progress(now, _clock);
        Account(holder, now, saved, lost: done - saved);
        holder.RemainingWork = holder.Current.Work - saved;
        var verdict = FailureClassification.Judge(new WorkerExit(deviceId, WorkerExitCodes.DeviceFault, $"device {deviceId} failed", ExitCause.Infrastructure), _restartSpec);
        holder.FailedAttempts++;
        var decision = _restart.Decide(holder.FailedAttempts, verdict.Reason);
        _scheduler.Release(holder, keepBusy: deviceId);
        if (decision.Restart)
        {
            holder.MoveTo(JobState.Recovering);
            Requeue(holder, decision.Delay, now);
        }
        else
        {
            holder.MoveTo(JobState.Failed);
            Finished(holder, now);
        }
    }

    private void Finished(SimulatedJob job, double now)
    {
        job.End = now;
        _finished++;
        _lastEnd = Math.Max(_lastEnd, now);
    }

    private void Requeue(SimulatedJob job, TimeSpan delay, double now)
    {
        job.NotBefore = now + delay.TotalSeconds;
        _scheduler.Queues.Requeue(job.Entry!);
        if (delay > TimeSpan.Zero) _events.Schedule(new SimulationEvent(job.NotBefore, EventKind.Eligible, job.JobId));
    }

    /// <summary>Books an attempt's device time up to <paramref name="now"/>: <paramref name="useful"/> seconds of kept work, <paramref name="lost"/> of lost work.</summary>
    private static void Account(SimulatedJob job, double now, double useful, double lost = 0)
    {
        job.HeldGpuSeconds += (now - job.Current.StartedAt) * job.GpuShare;
        job.UsefulGpuSeconds += useful * job.GpuShare;
        job.LostGpuSeconds += lost * job.GpuShare;
    }
}
