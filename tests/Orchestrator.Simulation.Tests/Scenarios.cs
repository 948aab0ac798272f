using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Tests;

/// <summary>Scenarios built in code for the tests: H100 nodes of 8, no failures unless asked.</summary>
internal static class Scenarios
{
    public static SimulationScenario Small(int gpus, double durationSeconds, double failuresPerGpuHour = 0, CheckpointScenario? checkpoints = null,
        SyntheticWorkload? synthetic = null, int seed = 1, IReadOnlyList<QueueScenario>? queues = null) => new(
        "test",
        seed,
        durationSeconds,
        new ClusterScenario([new GpuPool("h100-80gb", gpus)]),
        new WorkloadScenario(null, synthetic ?? new SyntheticWorkload()),
        new FailureScenario(failuresPerGpuHour, RepairSeconds: 600),
        checkpoints ?? new CheckpointScenario(0, 0, 0),
        new RestartScenario(MaxAttempts: 1000, BackoffSeconds: 0, MaxBackoffSeconds: 0),
        new SchedulerScenario(),
        queues ?? [],
        SampleSeconds: Math.Max(1, durationSeconds / 200));
}
