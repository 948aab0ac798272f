using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Client;

/// <summary>
/// The SDK: submit, inspect, watch and cancel jobs, and look at the cluster and the queues. Connects to one or
/// more gateways of the control plane (or discovers them through Redis).
/// </summary>
public sealed partial class OrchestratorClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IClusterClient _cluster;
    private readonly OrchestratorClientOptions _options;

    private OrchestratorClient(IHost host, OrchestratorClientOptions options)
    {
        _host = host;
        _options = options;
        _cluster = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Connects to the control plane.</summary>
    public static async Task<OrchestratorClient> ConnectAsync(OrchestratorClientOptions options, CancellationToken cancellationToken = default)
    {
        // Resolved once: the TLS name check maps each address Orleans dials back to the host it was given as.
        var gateways = options.RedisConnection is null ? options.Gateways.Select(g => (Text: g, Address: GatewayAddress.Parse(g))).ToList() : null;
        var transport = options.Tls is { } tls ? ClientTransportSecurity.Load(tls, gateways) : null;
        if (transport is not null && gateways is not null)
        {
            foreach (var gateway in gateways) await GatewayTlsCheck.RunAsync(gateway.Address, transport, cancellationToken);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (options.RedisConnection is { } redis) client.UseRedisClustering(redis);
            else client.UseStaticClustering(gateways!.Select(g => g.Address).ToArray());
            if (options.Token is { } token) client.AddOutgoingGrainCallFilter(new TokenPropagation(token));
            transport?.Apply(client);
        });
        var host = builder.Build();
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.ConnectTimeout is { } timeout) patience.CancelAfter(timeout);
        try
        {
            await host.StartAsync(patience.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new TimeoutException($"no answer from the control plane at {(options.RedisConnection is null ? string.Join(", ", options.Gateways) : "the gateways in Redis")} within {options.ConnectTimeout?.TotalSeconds:0} s"
                + (options.Tls is null ? $": if it serves TLS, connect with --tls-ca (or {TransportEnvironment.Ca})" : ""), e);
        }

        return new OrchestratorClient(host, options);
    }

    /// <summary>The underlying Orleans client, for callers that talk to grains directly (workers, tests).</summary>
    public IClusterClient Grains => _cluster;

    /// <summary>Validates and submits a job; returns it as stored (Pending). The id is the name plus a random suffix.</summary>
    /// <exception cref="JobSpecException">The spec breaks a rule or does not fit the cluster; nothing was stored.</exception>
    public Task<JobView> SubmitAsync(TrainingJobSpec spec, CancellationToken cancellationToken = default)
    {
        var errors = TrainingJobSpecValidator.Validate(spec);
        if (errors.Count > 0) throw new JobSpecException(errors);
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobGrain>(JobIds.New(spec.Metadata.Name)).SubmitAsync(spec);
    }

    /// <summary>A job by id.</summary>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public async Task<JobView> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await _cluster.GetGrain<IJobGrain>(jobId).GetAsync() ?? throw new JobNotFoundException(jobId);
    }

    /// <summary>Every job, newest first.</summary>
    public Task<IReadOnlyList<JobSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobIndexGrain>("default").ListAsync();
    }

    /// <summary>Cancels a job (any state; a no-op when it has finished).</summary>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public Task<JobView> CancelAsync(string jobId, string reason = "cancelled by user", CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobGrain>(jobId).CancelAsync(reason);
    }

    /// <summary>
    /// The job's events (all of them, from the first) and progress as they happen, until the job finishes or
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public async IAsyncEnumerable<JobUpdate> WatchAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var grain = _cluster.GetGrain<IJobGrain>(jobId);
        if (await grain.GetAsync() is null) throw new JobNotFoundException(jobId);
        long lastSequence = 0;
        JobProgress? lastProgress = null;
        while (true)
        {
            var updates = await grain.GetUpdatesAsync(lastSequence);
            foreach (var e in updates.Events)
            {
                lastSequence = e.Sequence;
                yield return new JobUpdate(e, null, updates.State);
            }

            if (updates.Progress is { } progress && progress != lastProgress)
            {
                lastProgress = progress;
                yield return new JobUpdate(null, progress, updates.State);
            }

            if (updates.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled) yield break;
            await Task.Delay(_options.WatchInterval, cancellationToken);
        }
    }

    /// <summary>Worker output of a job's attempt (the latest when null), optionally of the worker hosting one rank.</summary>
    public Task<LogChunk> ReadLogAsync(string jobId, int? attempt, int? rank, long offset, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobGrain>(jobId).ReadLogAsync(attempt, rank, offset);
    }

    /// <summary>The job's checkpoints now in the checkpoint store, oldest first (a damaged one carries its error).</summary>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    public Task<IReadOnlyList<StoredCheckpoint>> GetCheckpointsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IJobGrain>(jobId).GetCheckpointsAsync();
    }

    /// <summary>
    /// Fault drill: marks the device that hosts <paramref name="rank"/> of the job's running attempt (or the device
    /// <paramref name="deviceId"/>) failed, as a dead GPU would be. The attempt ends and the job recovers elsewhere.
    /// </summary>
    /// <returns>The device marked failed.</returns>
    /// <exception cref="JobNotFoundException">No job has this id.</exception>
    /// <exception cref="ArgumentException">The job has no running attempt, or the rank does not exist.</exception>
    public async Task<string> InjectDeviceFailureAsync(string jobId, int? rank, string? deviceId, CancellationToken cancellationToken = default)
    {
        var job = await GetAsync(jobId, cancellationToken);
        if (deviceId is null)
        {
            if (job.CurrentAttempt is not { Outcome: AttemptOutcome.Running } attempt)
                throw new ArgumentException($"job '{jobId}' has no running attempt to inject a fault into (state {job.State})");
            var placed = attempt.Ranks.FirstOrDefault(r => r.Rank == (rank ?? 0))
                ?? throw new ArgumentException($"--rank {rank} does not exist: attempt {attempt.Number} has ranks 0-{attempt.Ranks.Count - 1}");
            deviceId = placed.DeviceId;
        }

        await _cluster.GetGrain<IGpuGrain>(deviceId).SetHealthAsync(GpuHealth.Failed, $"fault injected for a drill on job {jobId}");
        return deviceId;
    }

    /// <summary>
    /// Cordons a device (<paramref name="cordon"/> true: nothing new is placed on it; a job on it runs on) or puts it back
    /// in service (false: undrained, and trusted again if it was suspect or failed, its faults forgotten).
    /// </summary>
    /// <exception cref="ArgumentException">No device of the cluster has this id.</exception>
    public async Task<GpuView> SetCordonAsync(string deviceId, bool cordon, CancellationToken cancellationToken = default)
    {
        var flag = cordon ? "--cordon" : "--uncordon";
        var devices = (await GetClusterAsync(cancellationToken)).Nodes.SelectMany(n => n.Gpus).ToList();
        if (devices.All(d => d.Id != deviceId))
            throw new ArgumentException($"{flag}: device '{deviceId}' is not in the cluster; devices are named NODE/INDEX, e.g. {devices.FirstOrDefault()?.Id ?? "node/0"}");
        var gpu = _cluster.GetGrain<IGpuGrain>(deviceId);
        await gpu.SetHealthAsync(cordon ? GpuHealth.Draining : GpuHealth.Healthy, cordon ? "cordoned by an operator" : "put back in service by an operator");
        return (await GetClusterAsync(cancellationToken)).Nodes.SelectMany(n => n.Gpus).Single(d => d.Id == deviceId);
    }

    /// <summary>The topology tree with allocation and health.</summary>
    public Task<ClusterView> GetClusterAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();
    }

    /// <summary>The queues.</summary>
    public Task<QueueView> GetQueueAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
