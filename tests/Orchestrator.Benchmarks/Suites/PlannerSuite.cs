using System.Diagnostics;
using System.Globalization;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// The planner: search time for the 1T GPT on 3,072 A100s and a 64-expert MoE on 1,024 H100s, and the cost
/// model against the published Megatron-LM measurements of <c>shared/anchors</c> (per-row tables and errors).
/// </summary>
internal sealed class PlannerSuite : IBenchmarkSuite
{
    private const int Sequence = 2048;
    private const int PaperVocabulary = 51200;
    private const int TimedRuns = 15;
    private const int WarmUpRuns = 10;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    public string Name => "planner";

    public Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var trillion = new PlanningRequest(
            new TransformerModel(128, 25600, 160, Sequence, PaperVocabulary, Precision: Precision.Fp16),
            new TrainingShape(3072),
            PlanningCluster.ForGpuType("a100-80gb", 3072));
        var moe = new PlanningRequest(
            new TransformerModel(32, 4096, 32, Sequence, TransformerModel.Gpt2Vocabulary, Moe: new MoeDescription(64, 2, Every: 2)),
            new TrainingShape(2048),
            PlanningCluster.ForGpuType("h100-80gb", 1024));

        TimeSearch(report, "search_ms_1t_3072_a100", trillion, cancellationToken);
        TimeSearch(report, "search_ms_moe64_1024_h100", moe, cancellationToken);
        PlacementMeasurements.RecordLargeCluster(report, cancellationToken);
        WeakScaling(report);
        Table5(report);
        return Task.CompletedTask;
    }

    private static void TimeSearch(BenchmarkReport report, string name, PlanningRequest request, CancellationToken cancellationToken)
    {
        // The first search runs on tier-0 JIT code; warm up (as BenchmarkDotNet does) until the runtime has
        // promoted the hot methods, and report the cold first search separately.
        var cold = Stopwatch.StartNew();
        var warm = LayoutSearch.Search(request);
        var coldMs = cold.Elapsed.TotalMilliseconds;
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < WarmUpRuns || warmUp.Elapsed < WarmUpTime; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LayoutSearch.Search(request);
        }

        var samples = new List<double>();
        for (var i = 0; i < TimedRuns; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            LayoutSearch.Search(request);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        Console.WriteLine($"  {name}: best {warm.Best.Choice}, {warm.Best.IterationSeconds:F2} s/iteration, {warm.Evaluated} candidates priced");
        report.Add(name, samples[samples.Count / 2], "ms", new Dictionary<string, object>
        {
            ["statistic"] = $"median of {TimedRuns} runs after at least {WarmUpRuns} warm-up runs and {WarmUpTime.TotalSeconds:F0} s",
            ["coldFirstRunMs"] = coldMs,
            ["minMs"] = samples[0],
            ["maxMs"] = samples[^1],
            ["evaluated"] = warm.Evaluated,
            ["best"] = warm.Best.Choice.ToString(),
        });
    }

    private static void WeakScaling(BenchmarkReport report)
    {
        Console.WriteLine();
        Console.WriteLine("  Megatron-LM weak scaling (A100-80GB, full recomputation, paper's tensor and pipeline sizes): hardware TFLOP/s per GPU");
        Console.WriteLine($"  {"model",-12} {"t",3} {"p",3} {"d",4} {"b",3} {"predicted",10} {"measured",9} {"error",8}");
        var errors = new List<double>();
        foreach (var row in Anchors.Load("megatron-a100-weak-scaling.csv"))
        {
            var request = new PlanningRequest(
                PaperModel(row), new TrainingShape(row.Int("global_batch"), OverlapGradientReduce: false), PlanningCluster.ForGpuType("a100-80gb", row.Int("gpus")))
            {
                TensorParallelSize = row.Int("tensor"),
                PipelineParallelSize = row.Int("pipeline"),
                VirtualStages = 1,
                Recompute = RecomputeMode.Full,
                SequenceParallel = false,
                ShardOptimizer = false,
            };
            var plan = LayoutSearch.Search(request).Best;
            var measured = row.Number("tflops_per_gpu");
            var error = (plan.Cost.HardwareTflopsPerGpu - measured) / measured * 100;
            errors.Add(Math.Abs(error));
            var layout = plan.Choice.Layout;
            Console.WriteLine($"  {row.Text("name"),-12} {layout.Tensor,3} {layout.Pipeline,3} {layout.Data,4} {plan.Choice.MicroBatch,3} {plan.Cost.HardwareTflopsPerGpu,10:F1} {measured,9:F1} {Signed(error),7}%");
        }

        report.Add("a100_weak_scaling_mean_abs_error_pct", errors.Average(), "%", Detail(errors, "target: mean at most 3%"));
        report.Add("a100_weak_scaling_max_abs_error_pct", errors.Max(), "%", Detail(errors, "target: every row within 5%"));
    }

    private static void Table5(BenchmarkReport report)
    {
        Console.WriteLine();
        Console.WriteLine("  Korthikanti et al. 2022, Table 5 (A100-80GB): seconds per iteration");
        Console.WriteLine($"  {"model",-10} {"mode",-22} {"predicted",10} {"measured",9} {"error",8}");
        var errors = new List<double>();
        foreach (var row in Anchors.Load("korthikanti-table5-iteration-times.csv"))
        {
            foreach (var (selective, column, label) in new[] { (false, "full_recompute_seconds", "full recompute"), (true, "sp_selective_seconds", "seq-parallel+selective") })
            {
                var v = row.Int("virtual_stages");
                var gpus = row.Int("gpus");
                var layout = new ParallelLayout(row.Int("tensor"), row.Int("pipeline"), gpus / (row.Int("tensor") * row.Int("pipeline")), 1, v);
                var choice = new LayoutChoice(
                    layout, row.Int("micro_batch"), selective ? RecomputeMode.Selective : RecomputeMode.Full, selective, false,
                    v > 1 ? PipelineSchedule.Interleaved : PipelineSchedule.OneForwardOneBackward);
                var request = new PlanningRequest(PaperModel(row), new TrainingShape(row.Int("global_batch"), OverlapGradientReduce: false), PlanningCluster.ForGpuType("a100-80gb", gpus));
                var plan = LayoutSearch.Evaluate(request, choice);
                var measured = row.Number(column);
                var error = (plan.IterationSeconds - measured) / measured * 100;
                errors.Add(Math.Abs(error));
                Console.WriteLine($"  {row.Text("name"),-10} {label,-22} {plan.IterationSeconds,10:F2} {measured,9:F2} {Signed(error),7}%");
            }
        }

        report.Add("table5_mean_abs_error_pct", errors.Average(), "%", Detail(errors, "target: mean at most 3% (Calculon: 3.65%)"));
        report.Add("table5_max_abs_error_pct", errors.Max(), "%", Detail(errors, "target: every entry within 6% (Calculon: 8.87%)"));
    }

    private static TransformerModel PaperModel(AnchorRow row) =>
        new(row.Int("layers"), row.Int("hidden"), row.Int("heads"), Sequence, PaperVocabulary, Precision: Precision.Fp16);

    private static Dictionary<string, object> Detail(List<double> errors, string target) => new()
    {
        ["rows"] = errors.Count,
        ["absoluteErrorsPct"] = errors.Select(e => Math.Round(e, 2)).ToArray(),
        ["target"] = target,
    };

    /// <summary>A row of an anchor CSV (comment lines start with #, then a header).</summary>
    private sealed class AnchorRow(string[] header, string[] cells)
    {
        public string Text(string column) => cells[Array.IndexOf(header, column)];

        public int Int(string column) => int.Parse(Text(column), CultureInfo.InvariantCulture);

        public double Number(string column) => double.Parse(Text(column), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads <c>shared/anchors</c>, found by walking up from the working and base directories.</summary>
    private static class Anchors
    {
        public static IReadOnlyList<AnchorRow> Load(string file)
        {
            var lines = File.ReadAllLines(Path.Combine(Directory(), file)).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(',')).ToList();
            return lines.Skip(1).Select(cells => new AnchorRow(lines[0], cells)).ToList();
        }

        private static string Directory()
        {
            foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                {
                    var candidate = Path.Combine(directory.FullName, "shared", "anchors");
                    if (System.IO.Directory.Exists(candidate)) return candidate;
                }
            }

            throw new DirectoryNotFoundException("no shared/anchors folder above the working or base directory");
        }
    }

    private static string Signed(double percent) => (percent < 0 ? "-" : "+") + Math.Abs(percent).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
