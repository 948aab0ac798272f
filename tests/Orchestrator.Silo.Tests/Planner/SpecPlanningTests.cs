using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Client.Specs;
using Orchestrator.Planning.Search;
using Orchestrator.Silo.Planner;

namespace Orchestrator.Silo.Tests.Planner;

/// <summary>
/// A job file goes through the same translation the scheduler uses: the published Megatron-LM runs, written with the
/// options they used (unfused attention, FP16, 16-bit gradients, no overlap), are predicted within 6% of the time
/// their comment quotes; with today's defaults instead they would be priced as a different, faster run.
/// </summary>
public sealed partial class SpecPlanningTests
{
    [Fact]
    public async Task Every_table5_example_is_predicted_within_6_percent_of_its_measured_time_through_the_spec()
    {
        var files = Directory.GetFiles(Examples(), "table5-*.yaml");
        Assert.Equal(8, files.Length);
        foreach (var file in files)
        {
            var measured = double.Parse(Measured().Match(await File.ReadAllTextAsync(file)).Groups[1].Value, CultureInfo.InvariantCulture);
            var spec = await JobSpecLoader.LoadAsync(file, CancellationToken.None);
            var request = SpecPlanning.Request(spec, PlanningCluster.ForGpuType(spec.Resources.GpuType!, spec.Resources.Gpus));
            var predicted = LayoutSearch.Search(request).Best.IterationSeconds;
            Assert.InRange(predicted, measured * 0.94, measured * 1.06);

            var today = spec with { Model = spec.Model with { Attention = null, Precision = null }, Training = spec.Training with { Overlap = null, MainGradients = null } };
            var modern = LayoutSearch.Search(SpecPlanning.Request(today, request.Cluster)).Best.IterationSeconds;
            Assert.True(modern < predicted, $"{Path.GetFileName(file)}: FlashAttention and overlap should make it faster ({modern:F2} vs {predicted:F2} s)");
        }
    }

    private static string Examples()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "examples", "megatron");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException($"examples/megatron not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"measured ([0-9.]+) s per iteration")]
    private static partial Regex Measured();
}
