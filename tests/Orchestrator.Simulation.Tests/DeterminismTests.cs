using Orchestrator.Simulation.Results;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Tests;

/// <summary>A seed fixes a run: the same seed gives the same decisions and figures, another seed different ones.</summary>
public sealed class DeterminismTests
{
    private static SimulationScenario Scenario(int seed) => Scenarios.Small(256, 2 * 86_400, failuresPerGpuHour: 2e-3,
        checkpoints: new CheckpointScenario(1800, 30, 120), synthetic: new SyntheticWorkload(Load: 1.2, MinGpus: 8, MaxGpus: 128, MedianHours: 1), seed: seed);

    private static string Fingerprint(SimulationResult r) =>
        string.Join(";", r.Starts.Select(s => $"{s.Seconds:R}:{s.JobId}:{s.Attempt}:{string.Join(',', s.DeviceIds)}"))
        + $"|{r.MeanJctSeconds:R}|{r.P99QueueingSeconds:R}|{r.Goodput:R}|{r.DeviceFailures}|{r.JobInterruptions}";

    [Fact]
    public void The_same_seed_gives_the_same_run_and_another_seed_a_different_one()
    {
        var first = SimulationRunner.Run(Scenario(7));
        var again = SimulationRunner.Run(Scenario(7));
        var other = SimulationRunner.Run(Scenario(8));

        Assert.True(first.Starts.Count > 50, $"only {first.Starts.Count} starts: the run is too small to tell runs apart");
        Assert.True(first.JobInterruptions > 0, "no job was interrupted: failures are not exercised");
        Assert.Equal(Fingerprint(first), Fingerprint(again));
        Assert.NotEqual(Fingerprint(first), Fingerprint(other));
    }
}
