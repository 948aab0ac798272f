using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Silo.Execution.External;

/// <summary>
/// Speaks to the job grain for a user's program that knows nothing of Orleans, so that to the grain it looks like
/// the built-in worker: heartbeats while the program (process or pod) is alive, step reports from its progress lines
/// (node rank 0's only: every node of a data-parallel job prints the same steps, and counting them twice would
/// double the job's tokens), and its completion or exit. When the grain answers that the attempt is over or must
/// checkpoint and stop, <see cref="StopRequested"/> fires and the launcher asks the program to stop (SIGTERM, as
/// Kubernetes does). One relay per program run; its launcher calls <see cref="OnOutputLineAsync"/> one line at a time.
/// </summary>
internal sealed class ExternalTrainerRelay : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly WorkerAssignment _assignment;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _reportsSteps;
    private long _lastStep;
    private DateTimeOffset _lastStepAt;

    public ExternalTrainerRelay(IGrainFactory grains, WorkerAssignment assignment, TimeProvider time)
    {
        _grains = grains;
        _assignment = assignment;
        _time = time;
        _reportsSteps = assignment.Nodes is not { Count: > 0 } nodes || nodes[0] == assignment.Node;
        _lastStep = assignment.StartStep;
        _lastStepAt = time.GetUtcNow();
    }

    /// <summary>Fires once the control plane has ended the attempt or asked it to checkpoint and stop.</summary>
    public CancellationToken StopRequested => _stop.Token;

    private IJobGrain Job => _grains.GetGrain<IJobGrain>(_assignment.JobId);

    /// <summary>Relays <paramref name="line"/> if it is a progress line (see <see cref="ProgressLine"/>); other lines are the launcher's to log.</summary>
    /// <returns>True when the line was a progress line.</returns>
    public async Task<bool> OnOutputLineAsync(string line)
    {
        if (!ProgressLine.TryParse(line, out var progress)) return false;
        if (!_reportsSteps) return true;

        var now = _time.GetUtcNow();
        var advanced = Math.Max(1, progress.Step - _lastStep);
        var stepSeconds = progress.StepSeconds ?? Math.Max((now - _lastStepAt).TotalSeconds / advanced, 1e-6);
        var tokens = progress.Tokens ?? 0;
        _lastStep = progress.Step;
        _lastStepAt = now;
        var report = new StepReport(progress.Step, progress.Loss, tokens, stepSeconds, tokens / (stepSeconds * advanced), progress.ModelFlopsUtilization);
        Obey(await Job.ReportStepAsync(_assignment.Attempt, _assignment.Node, report));
        return true;
    }

    /// <summary>Heartbeats for the program every <paramref name="interval"/> (the first at once) until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunHeartbeatsAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            do
            {
                try
                {
                    Obey(await Job.HeartbeatAsync(_assignment.Attempt, _assignment.Node));
                    await _grains.GetGrain<INodeGrain>(_assignment.Node).HeartbeatAsync(new NodeHeartbeat(_time.GetUtcNow(), _assignment.JobId, _assignment.Attempt));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The control plane may be failing over: the program keeps training, the next beat tries again.
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The program ended.
        }
    }

    /// <summary>
    /// The program ended: a clean finish (<see cref="ExitCause.Completed"/>) completes this node; anything else is
    /// reported as a worker exit for the grain to classify.
    /// </summary>
    public Task OnExitedAsync(int exitCode, ExitCause cause, string reason) =>
        cause == ExitCause.Completed
            ? Job.ReportCompletedAsync(_assignment.Attempt, _assignment.Node)
            : Job.ReportWorkerExitAsync(_assignment.Attempt, new WorkerExit(_assignment.Node, exitCode, reason, cause));

    public void Dispose() => _stop.Dispose();

    private void Obey(ReportAck ack)
    {
        if (ack != ReportAck.Continue && !_stop.IsCancellationRequested) _stop.Cancel();
    }
}
