using System.Collections.Concurrent;
using Prometheus;

namespace Orchestrator.Silo.Metrics;

/// <summary>
/// Per-job series labelled <c>job</c> and <c>queue</c>, for dashboards that follow one run. Cardinality stays bounded
/// because a job's series are removed when it ends (<see cref="ClusterStateMetrics"/> prunes every job that is no
/// longer live), so only jobs that are running or waiting to recover carry series.
/// </summary>
internal sealed class JobSeries
{
    private static readonly string[] Labels = ["job", "queue"];

    private readonly ConcurrentDictionary<string, string> _queues = new(StringComparer.Ordinal);
    private readonly Gauge _tokensPerSecond;
    private readonly Histogram _stepSeconds;
    private readonly Gauge _mfu;
    private readonly Gauge _goodput;
    private readonly Gauge _loss;
    private readonly Gauge _checkpointStall;
    private readonly Gauge _restarts;

    public JobSeries(IMetricFactory factory)
    {
        _tokensPerSecond = factory.CreateGauge("orchestrator_job_tokens_per_second", "Training throughput of the job's last reported step.", Labels);
        _stepSeconds = factory.CreateHistogram("orchestrator_job_step_duration_seconds", "Wall time of the job's training steps as workers report them.",
            Labels, new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });
        _mfu = factory.CreateGauge("orchestrator_job_model_flops_utilization_ratio",
            "Model FLOPs utilisation of the job's last step; NaN when the devices' peak is unknown (CPU devices).", Labels);
        _goodput = factory.CreateGauge("orchestrator_job_running_goodput_ratio", "Useful training time over wall time of the job so far.", Labels);
        _loss = factory.CreateGauge("orchestrator_job_loss", "Training loss of the job's last reported step.", Labels);
        _checkpointStall = factory.CreateGauge("orchestrator_job_checkpoint_stall_seconds", "Time the job's last committed checkpoint blocked training.", Labels);
        _restarts = factory.CreateGauge("orchestrator_job_restarts", "Attempts the job has started after its first.", Labels);
    }

    /// <summary>Jobs that carry series now.</summary>
    public IReadOnlyCollection<string> Tracked => _queues.Keys.ToList();

    public void Stepped(string job, string queue, double stepSeconds, double tokensPerSecond, double? mfu, double loss, double goodput)
    {
        Track(job, queue);
        _stepSeconds.WithLabels(job, queue).Observe(stepSeconds);
        _tokensPerSecond.WithLabels(job, queue).Set(tokensPerSecond);
        _mfu.WithLabels(job, queue).Set(mfu ?? double.NaN);
        _loss.WithLabels(job, queue).Set(loss);
        _goodput.WithLabels(job, queue).Set(goodput);
    }

    public void AttemptStarted(string job, string queue, int attempt)
    {
        Track(job, queue);
        _restarts.WithLabels(job, queue).Set(attempt - 1);
    }

    public void CheckpointCommitted(string job, string queue, double stallSeconds)
    {
        Track(job, queue);
        _checkpointStall.WithLabels(job, queue).Set(stallSeconds);
    }

    /// <summary>Drops every series of <paramref name="job"/>.</summary>
    public void Remove(string job)
    {
        if (!_queues.TryRemove(job, out var queue)) return;
        foreach (var gauge in new[] { _tokensPerSecond, _mfu, _goodput, _loss, _checkpointStall, _restarts })
            gauge.RemoveLabelled(job, queue);
        _stepSeconds.RemoveLabelled(job, queue);
    }

    private void Track(string job, string queue) => _queues[job] = queue;
}
