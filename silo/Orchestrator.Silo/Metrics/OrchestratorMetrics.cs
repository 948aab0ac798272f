using Prometheus;

namespace Orchestrator.Silo.Metrics;

/// <summary>
/// The silo's Prometheus metrics, in a registry of its own (no process-wide state, so two silos in one test process
/// keep separate figures). Names carry the <c>orchestrator_</c> prefix and base units; no label takes unbounded values.
/// </summary>
internal sealed class OrchestratorMetrics
{
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.0001, 2, 18);

    private readonly Counter _attemptsStarted;
    private readonly Counter _attemptsFailed;
    private readonly Counter _tokens;
    private readonly Histogram _stepSeconds;
    private readonly Histogram _checkpointStallSeconds;
    private readonly Counter _checkpoints;
    private readonly Counter _checkpointLogicalBytes;
    private readonly Counter _checkpointWrittenBytes;
    private readonly Gauge _deduplicationRatio;
    private readonly Counter _recoveries;
    private readonly Counter _stepsRedone;
    private readonly Histogram _goodput;

    public OrchestratorMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Gpus = factory.CreateGauge("orchestrator_gpus", "Devices in the inventory by allocation state and type.", "state", "gpu_type");
        Jobs = factory.CreateGauge("orchestrator_jobs", "Jobs by lifecycle state.", "state");
        QueueLength = factory.CreateGauge("orchestrator_queue_length", "Jobs waiting to be placed.");
        SchedulingPassSeconds = factory.CreateHistogram("orchestrator_scheduling_pass_duration_seconds", "Wall time of one scheduling pass.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        PlacementSeconds = factory.CreateHistogram("orchestrator_placement_duration_seconds", "Wall time of one gang placement decision.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        HeartbeatLagSeconds = factory.CreateHistogram("orchestrator_heartbeat_lag_seconds", "Delay between a node heartbeat being sent and received.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        _stepSeconds = factory.CreateHistogram("orchestrator_training_step_duration_seconds", "Wall time of a training step as workers report it.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });
        _tokens = factory.CreateCounter("orchestrator_training_tokens_total", "Tokens trained over all jobs; rate() gives tokens per second.");
        _attemptsStarted = factory.CreateCounter("orchestrator_attempts_started_total", "Attempts launched.");
        _attemptsFailed = factory.CreateCounter("orchestrator_attempts_failed_total", "Attempts that ended in failure.");
        _checkpointStallSeconds = factory.CreateHistogram("orchestrator_checkpoint_stall_seconds", "Time training was blocked by a checkpoint's snapshot.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _checkpoints = factory.CreateCounter("orchestrator_checkpoints_committed_total", "Checkpoints workers committed.");
        _checkpointLogicalBytes = factory.CreateCounter("orchestrator_checkpoint_logical_bytes_total", "Bytes of the tensors in committed checkpoints, before deduplication.");
        _checkpointWrittenBytes = factory.CreateCounter("orchestrator_checkpoint_written_bytes_total", "Bytes committed checkpoints added to the store (chunks it did not hold).");
        _deduplicationRatio = factory.CreateGauge("orchestrator_checkpoint_deduplication_ratio", "Logical over written bytes of the checkpoints committed since this silo started.");
        _recoveries = factory.CreateCounter("orchestrator_recoveries_total", "Attempts that resumed from a checkpoint.");
        _stepsRedone = factory.CreateCounter("orchestrator_steps_redone_total", "Training steps done again because an attempt ended after its last checkpoint.");
        _goodput = factory.CreateHistogram("orchestrator_job_goodput_ratio", "Useful training time over wall time of each job that succeeded.",
            new HistogramConfiguration { Buckets = Histogram.LinearBuckets(0.1, 0.1, 10) });
    }

    public CollectorRegistry Registry { get; }

    public Gauge Gpus { get; }

    public Gauge Jobs { get; }

    public Gauge QueueLength { get; }

    public Histogram SchedulingPassSeconds { get; }

    public Histogram PlacementSeconds { get; }

    public Histogram HeartbeatLagSeconds { get; }

    public void AttemptStarted() => _attemptsStarted.Inc();

    public void AttemptFailed() => _attemptsFailed.Inc();

    public void CheckpointCommitted(double stallSeconds, long logicalBytes, long writtenBytes)
    {
        _checkpointStallSeconds.Observe(stallSeconds);
        _checkpoints.Inc();
        _checkpointLogicalBytes.Inc(logicalBytes);
        _checkpointWrittenBytes.Inc(writtenBytes);
        _deduplicationRatio.Set(_checkpointLogicalBytes.Value / Math.Max(1, _checkpointWrittenBytes.Value));
    }

    public void Recovered(long stepsRedone)
    {
        _recoveries.Inc();
        _stepsRedone.Inc(stepsRedone);
    }

    public void JobFinished(double goodput) => _goodput.Observe(goodput);

    public void StepReported(double stepSeconds, long tokens)
    {
        _stepSeconds.Observe(stepSeconds);
        _tokens.Inc(tokens);
    }
}
