using Microsoft.Extensions.Hosting;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Metrics;

/// <summary>
/// Refreshes the gauges that describe the whole cluster (devices by state, type and node, jobs by state, queue
/// lengths, silos) from the scheduler, the job index and Orleans' membership every few seconds, so they survive
/// restarts and agree across silos; and removes the per-job series of jobs that are no longer live.
/// </summary>
internal sealed class ClusterStateMetrics(IGrainFactory grains, OrchestratorMetrics metrics) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>Every device state, so a state that empties reads 0 instead of keeping its last value.</summary>
    private static readonly string[] GpuStates = ["free", "allocated", .. Enum.GetValues<GpuHealth>().Where(h => h != GpuHealth.Healthy).Select(Name)];

    private readonly HashSet<string> _gpuTypes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queues = new(StringComparer.Ordinal);

    public async Task RefreshAsync()
    {
        var scheduler = grains.GetGrain<ISchedulerGrain>("default");
        var gpus = (await scheduler.GetClusterViewAsync()).Nodes.SelectMany(n => n.Gpus.Select(g => (Node: n.Node.Name, g.GpuType, State: State(g)))).ToList();
        _gpuTypes.UnionWith(gpus.Select(g => g.GpuType));
        _nodes.UnionWith(gpus.Select(g => g.Node));
        foreach (var type in _gpuTypes)
        foreach (var state in GpuStates)
            metrics.Gpus.WithLabels(state, type).Set(gpus.Count(g => g.GpuType == type && g.State == state));
        foreach (var node in _nodes)
        foreach (var state in GpuStates)
            metrics.NodeGpus.WithLabels(node, state).Set(gpus.Count(g => g.Node == node && g.State == state));

        var jobs = await grains.GetGrain<IJobIndexGrain>("default").ListAsync();
        foreach (var state in Enum.GetValues<JobState>())
            metrics.Jobs.WithLabels(Name(state)).Set(jobs.Count(j => j.State == state));
        var live = jobs.Where(j => j.State is not (JobState.Succeeded or JobState.Failed or JobState.Cancelled)).Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var job in metrics.PerJob.Tracked.Where(j => !live.Contains(j)))
            metrics.PerJob.Remove(job);

        var queue = await scheduler.GetQueueAsync();
        metrics.QueueLength.Set(queue.Waiting.Count);
        _queues.UnionWith(queue.Waiting.Concat(queue.Running).Select(e => e.Queue));
        foreach (var name in _queues)
            metrics.QueuePending.WithLabels(name).Set(queue.Waiting.Count(e => e.Queue == name));

        var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        metrics.Silos.Set(silos.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo may be starting or stopping; the next tick tries again.
            }
        }
    }

    private static string State(GpuView gpu) => gpu.JobId is not null ? "allocated" : gpu.Health == GpuHealth.Healthy ? "free" : Name(gpu.Health);

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
