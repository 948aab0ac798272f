using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>The pod watch's side of the backend: phases to exits, the log pump, and reporting each pod's end once.</summary>
internal sealed partial class PodBackend
{
    public async Task OnChangedAsync(WatchEventType type, V1Pod pod, CancellationToken cancellationToken)
    {
        var run = _pods.GetValueOrDefault(pod.Metadata.Name) ?? (type == WatchEventType.Deleted ? null : Adopt(pod));
        if (run is null || run.Reported) return;
        if (type == WatchEventType.Deleted)
        {
            // Deleted by someone else (an operator, the node controller): the attempt cannot go on there.
            await ReportAsync(run, run.Stopping
                ? new PodOutcome(-1, ExitCause.Stopped, "deleted by the control plane")
                : new PodOutcome(-1, ExitCause.Infrastructure, "deleted"));
            return;
        }

        var builtIn = run.Relay is null;
        if (PodOutcome.Of(pod, builtIn) is { } outcome)
        {
            await ReportAsync(run, outcome);
            return;
        }

        run.PendingReason = PodOutcome.PendingReason(pod);
        if (pod.Status?.Phase != "Running" || !run.TryStart()) return;
        run.Running = true;
        run.LogPump = Task.Run(() => PumpLogAsync(run), CancellationToken.None);
        if (run.Relay is { } relay) _ = relay.RunHeartbeatsAsync(HeartbeatInterval, run.Ended);
        if (_attempts.TryGetValue((run.JobId, run.Attempt), out var attempt) && attempt.AllRunning) attempt.StopStartWatch();
    }

    public Task OnSyncedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A pod this process did not launch (a daemon restarted while it ran): followed from its labels so its end still
    /// reaches its job (whose grain ignores it if the attempt is over).
    /// </summary>
    private PodRun? Adopt(V1Pod pod)
    {
        var annotations = pod.Metadata.Annotations;
        if (PodNames.Get(annotations, PodNames.JobAnnotation) is not { } jobId ||
            PodNames.Get(annotations, PodNames.NodeAnnotation) is not { } node ||
            !int.TryParse(PodNames.Get(pod.Metadata.Labels, PodNames.AttemptLabel), out var attempt) ||
            pod.Metadata.DeletionTimestamp is not null || _stopped.ContainsKey((jobId, attempt))) return null;
        return _pods.GetOrAdd(pod.Metadata.Name, name => new PodRun(jobId, attempt, node, name, null));
    }

    private async Task ReportAsync(PodRun run, PodOutcome outcome)
    {
        if (!run.TryMarkReported()) return;
        _pods.TryRemove(run.PodName, out _);
        // A container that ended by itself closes its log: let the pump pass on the last progress lines first. A lost
        // node's log may never close, and its attempt must end now.
        if (run.LogPump is { } pump && outcome.Cause is ExitCause.Completed or ExitCause.ProgramError)
            await pump.WaitAsync(LogDrainTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        run.End();
        // A program that exits cleanly after being told to stop did not finish the job.
        if (run.Stopping && outcome.Cause == ExitCause.Completed) outcome = outcome with { Cause = ExitCause.Stopped };
        var reason = $"pod {run.PodName}: {outcome.Reason}";
        LogPodEnded(run.JobId, run.Attempt, reason, outcome.Cause);
        try
        {
            if (run.Relay is { } relay && outcome.Cause != ExitCause.Stopped) await relay.OnExitedAsync(outcome.ExitCode, outcome.Cause, reason);
            else await WorkloadGrains.OfKey(_grains, run.JobId).ReportWorkerExitAsync(run.Attempt, new WorkerExit(run.Node, outcome.ExitCode, reason, outcome.Cause));
        }
        catch (Exception e)
        {
            LogReportFailed(e, run.PodName);
        }

        // Every pod of the attempt finished (a finished job is not stopped by its grain, a failed one is): remove what is left.
        if (outcome.Cause == ExitCause.Completed && _attempts.TryGetValue((run.JobId, run.Attempt), out var attempt) &&
            attempt.Pods.Count == attempt.ExpectedPods && attempt.Pods.Values.All(p => p.Reported))
            await StopAsync(run.JobId, run.Attempt, CancellationToken.None);
    }

    /// <summary>Follows the pod's log: keeps a copy on this machine and hands each line to the relay (progress lines).</summary>
    private async Task PumpLogAsync(PodRun run)
    {
        var path = LogPath(run.JobId, run.Attempt, run.Node);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var copy = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(run.PodName, _options.Namespace,
                container: PodManifests.ContainerName, follow: true, cancellationToken: run.Ended);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(run.Ended) is { } line)
            {
                await copy.WriteLineAsync(line);
                if (run.Relay is { } relay) await relay.OnOutputLineAsync(line);
            }
        }
        catch (OperationCanceledException)
        {
            // The pod ended or was stopped.
        }
        catch (Exception e) when (e is IOException or HttpRequestException or k8s.Autorest.HttpOperationException or ObjectDisposedException)
        {
            LogPumpFailed(e, run.PodName);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{JobId} attempt {Attempt}: {Reason} ({Cause})")]
    private partial void LogPodEnded(string jobId, int attempt, string reason, ExitCause cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "reporting the end of pod {Pod} failed")]
    private partial void LogReportFailed(Exception exception, string pod);

    [LoggerMessage(Level = LogLevel.Warning, Message = "following the log of pod {Pod} failed")]
    private partial void LogPumpFailed(Exception exception, string pod);
}
