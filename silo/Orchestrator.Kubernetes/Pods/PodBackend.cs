using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Kubernetes.Inventory;
using Orchestrator.Kubernetes.Watching;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Execution.External;
using Orchestrator.Silo.Jobs;

namespace Orchestrator.Kubernetes.Pods;

/// <summary>
/// Runs an attempt as pods: a headless Service, then one pod per placed node, created in the background with a
/// bound on requests in flight (so a gang of a hundred nodes starts in parallel without flooding the API server).
/// A pod watch turns pod phases and container states into worker exits with their cause; a node that stops taking
/// work ends its pods' attempts at once; a gang not all running within the start timeout is reported once, so the
/// job grain tears it down and requeues it with backoff. Stopping deletes the pods and the Service.
/// </summary>
internal sealed partial class PodBackend : IExecutionBackend, INodeLossObserver, IWatchHandler<V1Pod>, IHostedService, IDisposable
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LogDrainTimeout = TimeSpan.FromSeconds(5);
    private readonly IKubernetes _client;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly KubernetesBackendOptions _options;
    private readonly ILogger<PodBackend> _logger;
    private readonly SemaphoreSlim _requests;
    private readonly ConcurrentDictionary<(string Job, int Attempt), AttemptPods> _attempts = new();
    private readonly ConcurrentDictionary<string, PodRun> _pods = new(StringComparer.Ordinal);

    /// <summary>Attempts stopped by this process: their pods' last events are not followed again.</summary>
    private readonly ConcurrentDictionary<(string Job, int Attempt), byte> _stopped = new();
    private readonly ListWatch<V1Pod, V1PodList> _watch;
    private readonly CancellationTokenSource _stop = new();
    private Task? _watching;

    public PodBackend(IKubernetes client, IGrainFactory grains, TimeProvider time, IOptions<KubernetesBackendOptions> options, ILogger<PodBackend> logger)
    {
        _client = client;
        _grains = grains;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _requests = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentRequests));
        var ns = _options.Namespace;
        _watch = new ListWatch<V1Pod, V1PodList>("pod",
            ct => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: PodNames.ManagedBySelector, cancellationToken: ct),
            (version, onError, ct) => client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, labelSelector: PodNames.ManagedBySelector,
                resourceVersion: version, onError: onError, cancellationToken: ct),
            this, logger);
    }

    public bool WorkersCheckpoint => true;

    /// <summary>Said in every attempt's events: placement on Kubernetes is by device count per node.</summary>
    public string? Departure(RuntimeSpec runtime) =>
        "pods ask for nvidia.com/gpu by count per node: the device plugin picks the indices, so placed device ids stand for a count per node" +
        (runtime.Image is null && runtime.Command is not null ? $"; runtime.command runs in the worker image {_options.WorkerImage}" : "");

    public string LogPath(string jobId, int attempt, string node) =>
        WorkerLogPaths.Of(_options.LogsDirectory, jobId, attempt, node);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watching = Task.Run(() => _watch.RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_watching is { } watching) await watching.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async Task LaunchAsync(WorkerAssignment assignment, CancellationToken cancellationToken)
    {
        var nodes = assignment.Nodes is { Count: > 0 } placed ? placed : [assignment.Node];
        var nodeRank = Math.Max(0, nodes.ToList().IndexOf(assignment.Node));
        var attempt = _attempts.GetOrAdd((assignment.JobId, assignment.Attempt), key =>
        {
            var created = new AttemptPods(key.Job, key.Attempt, nodes.Count, () => CreateServiceAsync(key.Job, key.Attempt));
            _ = EnforceStartTimeoutAsync(created);
            return created;
        });
        // The Service comes first: pods name it as their owner and DNS subdomain. A failure here fails the launch.
        var service = await attempt.ServiceAsync().WaitAsync(cancellationToken);
        var pod = PodManifests.Pod(assignment, nodeRank, service, _options);
        var relay = assignment.Spec.Runtime.IsBuiltIn ? null : new ExternalTrainerRelay(_grains, assignment, _time);
        var run = new PodRun(assignment.JobId, assignment.Attempt, assignment.Node, pod.Metadata.Name, relay);
        attempt.Pods[run.PodName] = run;
        _pods[run.PodName] = run;
        relay?.StopRequested.Register(() => _ = DeletePodAsync(run));
        if (nodeRank == 0) LogPlacement(assignment.JobId, assignment.Attempt, nodes.Count, _options.Namespace);
        _ = CreatePodAsync(run, pod);
    }

    public async Task StopAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        _stopped.TryAdd((jobId, attempt), 0);
        if (_attempts.TryRemove((jobId, attempt), out var pods))
        {
            foreach (var run in pods.Pods.Values)
            {
                run.Stopping = true;
                run.End();
                _pods.TryRemove(run.PodName, out _);
            }

            pods.Dispose();
        }

        try
        {
            // Delete by label, not by what this process remembers: after a daemon restart the pods are still found.
            await WithRequestAsync(() => IgnoreNotFound(_client.CoreV1.DeleteCollectionNamespacedPodAsync(_options.Namespace,
                labelSelector: PodNames.AttemptSelector(jobId, attempt), gracePeriodSeconds: _options.TerminationGracePeriodSeconds, cancellationToken: cancellationToken)));
            await WithRequestAsync(() => IgnoreNotFound(_client.CoreV1.DeleteNamespacedServiceAsync(PodNames.Service(jobId, attempt), _options.Namespace, cancellationToken: cancellationToken)));
            LogStopped(jobId, attempt);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The job grain goes on recovering either way; what is left is owned by the Service and found by its labels.
            LogStopFailed(e, jobId, attempt);
        }
    }

    public async Task<LogChunk> ReadLogAsync(string jobId, int attempt, string node, long offset, bool attemptEnded, CancellationToken cancellationToken)
    {
        var pod = _watch.Items.FirstOrDefault(p =>
            PodNames.Get(p.Metadata.Annotations, PodNames.JobAnnotation) == jobId &&
            PodNames.Get(p.Metadata.Labels, PodNames.AttemptLabel) == attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) &&
            PodNames.Get(p.Metadata.Annotations, PodNames.NodeAnnotation) == node);
        if (pod is null || pod.Status?.Phase == "Pending")
        {
            // The pod is gone (attempt stopped) or has no output yet: what the log pump kept on this machine.
            return LogReader.Read(LogPath(jobId, attempt, node), offset, attempt, attemptEnded);
        }

        await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, _options.Namespace,
            container: PodManifests.ContainerName, cancellationToken: cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        return LogReader.Read(buffer, offset, attempt, attemptEnded);
    }

    public async Task OnNodeUnavailableAsync(string node, string reason, CancellationToken cancellationToken)
    {
        foreach (var run in _pods.Values.Where(r => r.Node == node && !r.Stopping))
            await ReportAsync(run, new PodOutcome(-1, ExitCause.Infrastructure, $"node {node} {reason}"));
    }

    public void Dispose()
    {
        _stop.Dispose();
        _requests.Dispose();
        foreach (var attempt in _attempts.Values) attempt.Dispose();
    }

    private async Task<V1Service> CreateServiceAsync(string jobId, int attempt) =>
        await WithRequestAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(PodManifests.Service(jobId, attempt, _options), _options.Namespace));

    private async Task CreatePodAsync(PodRun run, V1Pod pod)
    {
        try
        {
            // The attempt may have been stopped while this creation waited for its turn, or while it was in flight.
            if (run.Stopping) return;
            await WithRequestAsync(() => _client.CoreV1.CreateNamespacedPodAsync(pod, _options.Namespace));
            LogPodCreated(run.PodName, run.Node);
            if (run.Stopping) await DeletePodAsync(run);
        }
        catch (Exception e)
        {
            // An API server that refuses the pod as invalid (4xx) will refuse it again: the spec is at fault.
            var invalid = e is HttpOperationException { Response.StatusCode: HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden };
            await ReportAsync(run, new PodOutcome(-1, invalid ? ExitCause.SpecError : ExitCause.Infrastructure, $"could not be created: {Message(e)}"));
        }
    }

    private async Task EnforceStartTimeoutAsync(AttemptPods attempt)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.StartTimeoutSeconds), _time, attempt.StartWatch);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var late = attempt.Pods.Values.Where(p => !p.Running && !p.Reported).ToList();
        if (late.Count == 0) return;
        var first = late[0];
        await ReportAsync(first, new PodOutcome(-1, ExitCause.Infrastructure,
            $"not running within the start timeout of {_options.StartTimeoutSeconds} s ({first.PendingReason ?? "Pending"}); " +
            $"{late.Count} of {attempt.ExpectedPods} pod(s) not running, the gang is torn down"));
    }

    private async Task DeletePodAsync(PodRun run)
    {
        run.Stopping = true;
        try
        {
            await WithRequestAsync(() => IgnoreNotFound(_client.CoreV1.DeleteNamespacedPodAsync(run.PodName, _options.Namespace,
                gracePeriodSeconds: _options.TerminationGracePeriodSeconds)));
        }
        catch (Exception e)
        {
            LogDeleteFailed(e, run.PodName);
        }
    }

    private async Task<T> WithRequestAsync<T>(Func<Task<T>> request)
    {
        await _requests.WaitAsync();
        try
        {
            return await request();
        }
        finally
        {
            _requests.Release();
        }
    }

    private static async Task<object?> IgnoreNotFound<T>(Task<T> request)
    {
        try
        {
            return await request;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string Message(Exception e) =>
        e is HttpOperationException http ? $"{(int)http.Response.StatusCode} {http.Response.Content}" : e.Message;

    [LoggerMessage(Level = LogLevel.Information, Message = "{JobId} attempt {Attempt}: {Nodes} pod(s) in namespace {Namespace}, placed by device count per node")]
    private partial void LogPlacement(string jobId, int attempt, int nodes, string @namespace);

    [LoggerMessage(Level = LogLevel.Debug, Message = "created pod {Pod} on {Node}")]
    private partial void LogPodCreated(string pod, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "{JobId} attempt {Attempt}: deleted its pods and Service")]
    private partial void LogStopped(string jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{JobId} attempt {Attempt}: deleting its pods and Service failed; delete them by the labels orchestrator.io/job and orchestrator.io/attempt")]
    private partial void LogStopFailed(Exception exception, string jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deleting pod {Pod} failed")]
    private partial void LogDeleteFailed(Exception exception, string pod);
}
