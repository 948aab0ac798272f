using Microsoft.Extensions.Options;
using Orchestrator.Silo.Hosting;
using Orchestrator.Contracts.Workers;
using Prometheus;

namespace Orchestrator.Silo.Metrics;

/// <summary>
/// The silo's Prometheus metrics, in a registry of its own (no process-wide state, so two silos in one test process
/// keep separate figures). Names carry the <c>orchestrator_</c> prefix and base units; no label takes unbounded values
/// (per-job series are removed when their job ends). Orleans' own meters and the .NET runtime's meters are exported
/// into the same registry through prometheus-net's meter adapter, with its process metrics beside them.
/// </summary>
internal sealed class OrchestratorMetrics : IDisposable
{
    /// <summary>Meters exported besides ours: Orleans' (grain calls, messaging, membership) and the .NET runtime's.</summary>
    private static readonly string[] ExportedMeters = ["Microsoft.Orleans", "System.Runtime"];

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
    private readonly IDisposable _meters;

    public OrchestratorMetrics(IOptions<OrchestratorSiloOptions> silo)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);
        _meters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            // MetricFactory defaults to the process-wide registry's factory, which would win over Registry.
            Registry = Registry,
            MetricFactory = factory,
            // The runtime's few *.count gauges (threads, timers, assemblies) would break the Prometheus naming rule that
            // only histograms end in _count; process_num_threads and the thread-pool queue length cover what they say.
            InstrumentFilterPredicate = instrument => ExportedMeters.Contains(instrument.Meter.Name) && !instrument.Name.EndsWith(".count", StringComparison.Ordinal),
        });
        PerJob = new JobSeries(factory);
        NodeGpus = factory.CreateGauge("orchestrator_node_gpus", "Devices of each node by allocation state.", "node", "state");
        QueuePending = factory.CreateGauge("orchestrator_queue_pending_jobs", "Jobs waiting to be placed, by queue.", "queue");
        QueueWaitSeconds = factory.CreateHistogram("orchestrator_queue_wait_seconds", "Time from a job becoming eligible to being placed, by queue.",
            ["queue"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.05, 2, 18) });
        SchedulingDecisions = factory.CreateCounter("orchestrator_scheduling_decisions_total", "Scheduling decisions applied: placed, backfilled (placed around a blocked head job) or preempted.", "decision");
        foreach (var decision in new[] { "placed", "backfilled", "preempted" }) SchedulingDecisions.WithLabels(decision);
        Silos = factory.CreateGauge("orchestrator_silos", "Active silos in the cluster's membership as this silo sees it.");
        factory.CreateGauge("orchestrator_silos_expected", "Silos the deployment is configured to run (Orchestrator:ExpectedSilos).")
            .Set(silo.Value.ExpectedSilos);
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

    public JobSeries PerJob { get; }

    public Gauge NodeGpus { get; }

    public Gauge QueuePending { get; }

    public Histogram QueueWaitSeconds { get; }

    public Counter SchedulingDecisions { get; }

    public Gauge Silos { get; }

    public Gauge Gpus { get; }

    public Gauge Jobs { get; }

    public Gauge QueueLength { get; }

    public Histogram SchedulingPassSeconds { get; }

    public Histogram PlacementSeconds { get; }

    public Histogram HeartbeatLagSeconds { get; }

    public void AttemptStarted(string job, string queue, int attempt)
    {
        _attemptsStarted.Inc();
        PerJob.AttemptStarted(job, queue, attempt);
    }

    /// <summary>The scheduler placed a job that became eligible at <paramref name="eligibleAt"/>.</summary>
    public void JobPlaced(string queue, DateTimeOffset eligibleAt, DateTimeOffset now, bool backfilled)
    {
        QueueWaitSeconds.WithLabels(queue).Observe(Math.Max(0, (now - eligibleAt).TotalSeconds));
        SchedulingDecisions.WithLabels(backfilled ? "backfilled" : "placed").Inc();
    }

    public void JobPreempted() => SchedulingDecisions.WithLabels("preempted").Inc();

    public void AttemptFailed() => _attemptsFailed.Inc();

    public void CheckpointCommitted(string job, string queue, double stallSeconds, long logicalBytes, long writtenBytes)
    {
        PerJob.CheckpointCommitted(job, queue, stallSeconds);
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

    public void StepReported(string job, string queue, StepReport step, double goodput)
    {
        _stepSeconds.Observe(step.StepSeconds);
        _tokens.Inc(step.Tokens);
        PerJob.Stepped(job, queue, step.StepSeconds, step.TokensPerSecond, step.ModelFlopsUtilization, step.Loss, goodput);
    }

    public void Dispose() => _meters.Dispose();
}
