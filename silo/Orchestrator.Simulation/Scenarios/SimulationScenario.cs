namespace Orchestrator.Simulation.Scenarios;

/// <summary>A simulation run as a scenario file (<c>kind: Simulation</c>) describes it; see docs/scheduling.md.</summary>
/// <param name="Name">A label for reports.</param>
/// <param name="Seed">Seeds every random draw of the run (workload, failures): the same seed gives the same run.</param>
/// <param name="DurationSeconds">Virtual time simulated; jobs submitted later are not simulated, jobs still running then are reported unfinished.</param>
/// <param name="Cluster">The GPUs.</param>
/// <param name="Workload">The jobs submitted.</param>
/// <param name="Failures">Device failures injected.</param>
/// <param name="Checkpoints">What checkpoints and restarts cost.</param>
/// <param name="Restart">How failed attempts are retried.</param>
/// <param name="Scheduler">Switches of the scheduling pass.</param>
/// <param name="Queues">Named queues with fair-share weights; empty for one queue, <c>default</c>.</param>
/// <param name="SampleSeconds">How often allocation, queue length and fragmentation are sampled for the time series.</param>
internal sealed record SimulationScenario(
    string Name,
    int Seed,
    double DurationSeconds,
    ClusterScenario Cluster,
    WorkloadScenario Workload,
    FailureScenario Failures,
    CheckpointScenario Checkpoints,
    RestartScenario Restart,
    SchedulerScenario Scheduler,
    IReadOnlyList<QueueScenario> Queues,
    double SampleSeconds);
