namespace Orchestrator.Cli.Tests;

/// <summary><c>orch simulate FILE</c>: a summary table and two SVG charts for a good scenario, a field-path error for a bad one.</summary>
public sealed class SimulateCommandTests
{
    private const string Scenario = """
        kind: Simulation
        name: tiny
        seed: 3
        duration: 6h
        cluster: { gpuType: h100-80gb, gpus: 64 }
        workload:
          synthetic: { load: 1.2, minGpus: 8, maxGpus: 32, medianHours: 1 }
        failures: { perGpuHour: 0 }
        """;

    [Fact]
    public async Task A_scenario_runs_and_prints_its_figures_and_writes_its_charts()
    {
        var directory = Orch.TemporaryDirectory();
        var file = Path.Combine(directory, "tiny.yaml");
        await File.WriteAllTextAsync(file, Scenario);

        var (exit, output, error) = await Orch.RunAsync("simulate", file, "--plots", Path.Combine(directory, "plots"));

        Assert.True(exit == 0, error);
        Assert.Contains("goodput (useful / allocated GPU time)", output, StringComparison.Ordinal);
        Assert.Matches(@"device failures / job interruptions / preemptions\s+0 / 0 / 0", output); // failures are off
        Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(directory, "plots", "allocation.svg")), StringComparison.Ordinal);
        Assert.Contains("polyline", await File.ReadAllTextAsync(Path.Combine(directory, "plots", "queue.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_scenario_exits_1_naming_the_field()
    {
        var directory = Orch.TemporaryDirectory();
        var file = Path.Combine(directory, "bad.yaml");
        await File.WriteAllTextAsync(file, Scenario.Replace("gpus: 64", "gpus: 60", StringComparison.Ordinal));

        var (exit, _, error) = await Orch.RunAsync("simulate", file);

        Assert.Equal(1, exit);
        Assert.Contains("cluster.gpus must be a multiple of 8", error, StringComparison.Ordinal);
    }
}
