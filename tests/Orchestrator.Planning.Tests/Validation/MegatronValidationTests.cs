using Orchestrator.Planning.Search;
using Xunit.Abstractions;

namespace Orchestrator.Planning.Tests.Validation;

/// <summary>The cost model against the published Megatron-LM measurements in <c>Validation/Anchors</c> (published figures with their sources).</summary>
public sealed class MegatronValidationTests(ITestOutputHelper output)
{
    private static readonly AnchorTable Weak = AnchorTable.Load("megatron-a100-weak-scaling.csv");
    private static readonly AnchorTable Table5 = AnchorTable.Load("korthikanti-table5-iteration-times.csv");

    [Fact]
    public void Parameter_counts_of_the_weak_scaling_models_match_the_paper_to_the_printed_precision()
    {
        foreach (var row in Weak.Rows)
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
        var errors = new List<double>();
        foreach (var row in Weak.Rows)
        {
            var plan = LayoutSearch.Search(PaperRuns.WeakScaling(row)).Best;
            var measured = row.Number("tflops_per_gpu");
            var error = (plan.Cost.HardwareTflopsPerGpu - measured) / measured * 100;
            errors.Add(Math.Abs(error));
            output.WriteLine($"{row,-12} b={plan.Choice.MicroBatch,-3} predicted {plan.Cost.HardwareTflopsPerGpu,6:F1} measured {measured,5} error {Signed(error),6}%");
        }

        Assert.All(errors, e => Assert.InRange(e, 0, 5));
        Assert.InRange(errors.Average(), 0, 3);
    }

    [Fact]
    public void Iteration_time_of_all_eight_table5_entries_is_within_6_percent_and_3_percent_on_average()
    {
        var errors = new List<double>();
        foreach (var row in Table5.Rows)
        {
            foreach (var (selective, column) in new[] { (false, "full_recompute_seconds"), (true, "sp_selective_seconds") })
            {
                var plan = PaperRuns.Table5(row, selective);
                var measured = row.Number(column);
                var error = (plan.IterationSeconds - measured) / measured * 100;
                errors.Add(Math.Abs(error));
                output.WriteLine($"{row,-10} {column,-24} predicted {plan.IterationSeconds,7:F2} measured {measured,6} error {Signed(error),6}%  fits {plan.Memory.Fits}");
            }
        }

        Assert.Equal(8, errors.Count);
        Assert.All(errors, e => Assert.InRange(e, 0, 6));
        Assert.InRange(errors.Average(), 0, 3);
    }

    [Fact]
    public void Table5_runs_fit_in_the_memory_of_an_a100_80gb()
    {
        foreach (var row in Table5.Rows)
        {
            Assert.True(PaperRuns.Table5(row, sequenceParallelSelective: false).Memory.Fits, $"{row} full recomputation");
            Assert.True(PaperRuns.Table5(row, sequenceParallelSelective: true).Memory.Fits, $"{row} selective + sequence parallel");
        }
    }

    [Fact]
    public void Auto_plans_are_at_least_as_fast_as_the_papers_configuration_keep_tensor_in_a_node_and_fit()
    {
        foreach (var row in Weak.Rows)
        {
            var paper = LayoutSearch.Search(PaperRuns.WeakScaling(row) with { Training = new(row.Int("global_batch")) }).Best;
            var auto = LayoutSearch.Search(PaperRuns.WeakScalingAuto(row)).Best;
            output.WriteLine($"{row,-12} paper {paper.Choice} {paper.IterationSeconds:F2} s; auto {auto.Choice} {auto.IterationSeconds:F2} s");
            Assert.True(auto.IterationSeconds <= paper.IterationSeconds * (1 + 1e-12), $"{row}: auto {auto} slower than paper {paper}");
            Assert.InRange(auto.Choice.Layout.Tensor, 1, 8);
            Assert.True(auto.Memory.Fits);
            Assert.Equal(row.Int("gpus"), auto.Choice.Layout.WorldSize);
        }
    }

    private static string Signed(double percent) => (percent < 0 ? "-" : "+") + Math.Abs(percent).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
