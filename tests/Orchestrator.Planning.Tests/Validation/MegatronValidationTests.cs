using Orchestrator.Planning.Calibration;
using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Search;
using Xunit.Abstractions;

namespace Orchestrator.Planning.Tests.Validation;

/// <summary>
/// The cost model against the published Megatron-LM measurements kept in the planning project
/// (<c>Calibration/Published</c>, sources in each file's comments), in sample: with the calibrated defaults.
/// </summary>
public sealed class MegatronValidationTests(ITestOutputHelper output)
{
    [Fact]
    public void Parameter_counts_of_the_weak_scaling_models_match_the_paper_to_the_printed_precision()
    {
        foreach (var row in PaperRuns.WeakScalingRows.Rows)
        {
            var billions = PaperRuns.Model(row).ParameterCount() / 1e9;
            var printed = row.Text("params_billion");
            var decimals = printed.Contains('.') ? printed.Length - printed.IndexOf('.') - 1 : 0;
            Assert.Equal(row.Number("params_billion"), Math.Round(billions, decimals), 6);
        }
    }

    [Fact]
    public void Hardware_throughput_of_every_weak_scaling_row_is_within_5_percent_and_3_percent_on_average()
    {
        var summary = ErrorSummary.Of(PaperRuns.WeakScalingPoints(), CostModelConstants.Default);
        Print(summary);
        Assert.All(summary.ErrorsPercent, e => Assert.InRange(Math.Abs(e), 0, 5));
        Assert.InRange(summary.MeanAbsolutePercent, 0, 3);
    }

    [Fact]
    public void Iteration_time_of_all_eight_table5_entries_is_within_6_percent_and_3_percent_on_average()
    {
        var summary = ErrorSummary.Of(PaperRuns.Table5Points(), CostModelConstants.Default);
        Print(summary);
        Assert.Equal(8, summary.Points.Count);
        Assert.All(summary.ErrorsPercent, e => Assert.InRange(Math.Abs(e), 0, 6));
        Assert.InRange(summary.MeanAbsolutePercent, 0, 3);
    }

    [Fact]
    public void Table5_runs_fit_in_the_memory_of_an_a100_80gb()
    {
        foreach (var row in PaperRuns.Table5Rows.Rows)
        {
            foreach (var selective in new[] { false, true })
            {
                var (request, choice) = PaperRuns.Table5(row, selective);
                Assert.True(LayoutSearch.Evaluate(request, choice).Memory.Fits, $"{row} selective={selective}");
            }
        }
    }

    private void Print(ErrorSummary summary)
    {
        for (var i = 0; i < summary.Points.Count; i++)
        {
            var point = summary.Points[i];
            output.WriteLine($"{point.Name,-28} measured {point.Measured,8:F2} error {summary.ErrorsPercent[i],6:F1}%");
        }

        output.WriteLine($"mean {summary.MeanAbsolutePercent:F2}% max {summary.MaxAbsolutePercent:F2}%");
    }
}
