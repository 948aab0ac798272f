using System.Security.Cryptography;
using System.Text;
using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Tests;

/// <summary>
/// The simulator's speed-ups (placement probes that only count slots, held devices located once per pass, the
/// never-fits capacity built on demand) must not change a single decision. This pins one seed's run, with
/// reservations, backfill, device failures and restarts in it, to what the scheduling code decided before them.
/// </summary>
public sealed class PinnedDecisionsTests
{
    [Fact]
    public void A_seeds_starts_devices_and_figures_are_those_of_the_scheduling_code_before_its_speed_ups()
    {
        var scenario = Scenarios.Small(512, 3 * 86_400, failuresPerGpuHour: 1e-3, checkpoints: new CheckpointScenario(1800, 30, 120),
            synthetic: new SyntheticWorkload(Load: 1.3, MinGpus: 8, MaxGpus: 256, MedianHours: 2), seed: 11);

        var result = SimulationRunner.Run(scenario);

        var fingerprint = string.Join(";", result.Starts.Select(s => $"{s.Seconds:R}:{s.JobId}:{s.Attempt}:{s.Backfilled}:{string.Join(',', s.DeviceIds)}"))
            + $"|{result.MeanJctSeconds:R}|{result.P99QueueingSeconds:R}|{result.Goodput:R}|{result.MeanAllocation:R}"
            + $"|{result.DeviceFailures}|{result.JobInterruptions}|{result.Preemptions}";

        // Obtained by running this scenario on main at 310408d (before the speed-ups of issue 16's simulator task),
        // from a small harness that printed these counts and the SHA-256 of the same fingerprint. If a deliberate
        // change to scheduling decisions moves them, re-derive both from the code before and after that change.
        Assert.Equal((248, 69, 34, 22, 358),
            (result.Starts.Count, result.Starts.Count(s => s.Backfilled), result.DeviceFailures, result.JobInterruptions, result.SchedulingPasses));
        Assert.Equal("2655491C5BF2806A95ABEE6D2BC3AA633B93D79ED43B16A8631918C00F9391D8",
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint))));
    }
}
