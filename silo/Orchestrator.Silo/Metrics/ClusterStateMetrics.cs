using Microsoft.Extensions.Hosting;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Metrics;

/// <summary>
/// Refreshes the gauges that describe the whole cluster (devices by state and type, jobs by state, queue length)
/// from the scheduler and the job index every few seconds, so they survive restarts and agree across silos.
/// </summary>
internal sealed class ClusterStateMetrics(IGrainFactory grains, OrchestratorMetrics metrics) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    public async Task RefreshAsync()
    {
        var cluster = await grains.GetGrain<ISchedulerGrain>("default").GetClusterViewAsync();
        foreach (var group in cluster.Nodes.SelectMany(n => n.Gpus)
                     .GroupBy(g => (State: g.JobId is not null ? "allocated" : g.Health == Contracts.Cluster.GpuHealth.Healthy ? "free" : g.Health.ToString().ToLowerInvariant(), g.GpuType)))
            metrics.Gpus.WithLabels(group.Key.State, group.Key.GpuType).Set(group.Count());

        var jobs = await grains.GetGrain<IJobIndexGrain>("default").ListAsync();
        foreach (var state in Enum.GetValues<JobState>())
            metrics.Jobs.WithLabels(state.ToString().ToLowerInvariant()).Set(jobs.Count(j => j.State == state));

        var queue = await grains.GetGrain<ISchedulerGrain>("default").GetQueueAsync();
        metrics.QueueLength.Set(queue.Waiting.Count);
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
}
