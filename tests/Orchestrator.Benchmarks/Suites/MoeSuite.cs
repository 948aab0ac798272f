using System.Runtime.InteropServices;
using System.Globalization;
using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Dropless (block-sparse grouped) MoE against the capacity-factor baseline at cf 1.0, 1.25 and 2.0, and against a
/// dense FFN doing the same useful FLOPs: hidden 512, FFN 2048, 4,096 tokens, 8 and 16 experts, k 1 and 2, uniform and
/// Zipf(1.2) routing. The forward pass is timed on one intra-op thread by the calling thread's CPU time, not wall time:
/// the machine is shared with other builds, and the CPU time of the one compute thread is what contention least disturbs.
/// Variants are interleaved within each repetition and the median is reported.
/// </summary>
internal sealed class MoeSuite : IBenchmarkSuite
{
    private const int Hidden = 512;
    private const int Ffn = 2048;
    private const int Tokens = 4096;
    private const int Repetitions = 3;
    private const double ZipfExponent = 1.2;
    private static readonly double[] CapacityFactors = [1.0, 1.25, 2.0];

    public string Name => "moe";

    public Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        var threads = get_num_threads();
        set_num_threads(1);
        Console.WriteLine($"  1 torch thread (of {threads}), {Repetitions} repetitions, forward pass, CPU seconds");
        try
        {
            RunAll(report, cancellationToken);
        }
        finally
        {
            set_num_threads(threads);
        }

        return Task.CompletedTask;
    }

    private static void RunAll(BenchmarkReport report, CancellationToken cancellationToken)
    {
        foreach (var experts in new[] { 8, 16 })
        {
            foreach (var topK in new[] { 1, 2 })
            {
                foreach (var zipf in new[] { false, true })
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    RunConfiguration(report, experts, topK, zipf, cancellationToken);
                }
            }
        }
    }

    private static void RunConfiguration(BenchmarkReport report, int experts, int topK, bool zipf, CancellationToken cancellationToken)
    {
        var config = $"e{experts}_k{topK}_{(zipf ? "zipf" : "uniform")}";
        var generator = new Generator(1234UL + (ulong)(experts * 10 + topK));
        var options = new MoeOptions(Hidden, Ffn, experts, topK);
        var router = new TopKRouter(options, RouterWeight(experts, generator));
        var weights = new ExpertWeights(experts, Hidden, Ffn, generator);
        var tokens = RoutedTokens(experts, topK, zipf, generator);

        var variants = new List<Variant>
        {
            new("dropless", new DroplessMoeLayer(options, router, weights, null, null, GroupedProductStrategy.PerExpertGroups)),
        };
        if (!zipf || (experts == 8 && topK == 1))
        {
            // Padding every group to the largest is cheap only when routing is even; one skewed case shows the cost.
            variants.Add(new("dropless_batched", new DroplessMoeLayer(options, router, weights, null, null, GroupedProductStrategy.BatchedPaddedGroups)));
        }

        foreach (var factor in CapacityFactors)
        {
            variants.Add(new(CapacityName(factor), new CapacityFactorMoeLayer(options with { CapacityFactor = factor }, router, weights)));
        }

        var dense = new DenseEquivalent(Tokens * topK, generator);
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        times["dense"] = [];
        var statistics = new Dictionary<string, MoeDispatchStatistics>();

        // The first pass warms up allocators and kernels and is not counted.
        for (var repetition = 0; repetition <= Repetitions; repetition++)
        {
            foreach (var variant in variants)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (seconds, stats) = TimeStep(variant.Layer, tokens);
                statistics[variant.Name] = stats;
                if (repetition > 0)
                {
                    times[variant.Name].Add(seconds);
                }
            }

            var denseSeconds = dense.TimeStep();
            if (repetition > 0)
            {
                times["dense"].Add(denseSeconds);
            }
        }

        var median = times.ToDictionary(pair => pair.Key, pair => Median(pair.Value));
        var detail = new Dictionary<string, object>
        {
            ["experts"] = experts, ["topK"] = topK, ["routing"] = zipf ? "zipf1.2" : "uniform", ["tokens"] = Tokens,
            ["hidden"] = Hidden, ["ffn"] = Ffn, ["repetitions"] = Repetitions, ["step"] = "forward", ["clock"] = "thread cpu-seconds, 1 intra-op thread",
            ["largestExpertShare"] = statistics["dropless"].AssignmentsPerExpert.Max() / (double)(Tokens * topK),
        };
        Console.WriteLine($"  -- {config}: largest expert takes {(double)detail["largestExpertShare"]:P1} of assignments");
        foreach (var variant in variants)
        {
            var stats = statistics[variant.Name];
            report.Add($"tokens_per_second.{variant.Name}.{config}", Tokens / median[variant.Name], "tokens/s", detail);
            report.Add($"padding_flops.{variant.Name}.{config}", stats.PaddingFlops(Hidden, Ffn), "FLOP", detail);
            report.Add($"padding_share.{variant.Name}.{config}", stats.PaddingRows / (double)stats.ComputedRows, "ratio", detail);
            report.Add($"dropped_fraction.{variant.Name}.{config}", stats.DroppedAssignmentFraction, "ratio", detail);
        }

        report.Add($"tokens_per_second.dense_equivalent.{config}", Tokens / median["dense"], "tokens/s", detail);
        report.Add($"speedup_vs_cf2.{config}", median[CapacityName(2.0)] / median["dropless"], "ratio", detail);
        report.Add($"dropped_fraction_cf1.{config}", statistics[CapacityName(1.0)].DroppedAssignmentFraction, "ratio", detail);
        report.Add($"dropless_over_dense_time.{config}", median["dropless"] / median["dense"], "ratio", detail);
        if (median.TryGetValue("dropless_batched", out var batched))
        {
            report.Add($"batched_over_grouped_time.{config}", batched / median["dropless"], "ratio", detail);
        }
    }

    private static string CapacityName(double factor) =>
        "cf" + factor.ToString("0.0#", CultureInfo.InvariantCulture).Replace('.', '_');

    private static (double Seconds, MoeDispatchStatistics Statistics) TimeStep(nn.Module<Tensor, MoeOutput> layer, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var start = CpuSeconds();
        var result = layer.forward(tokens);
        return (CpuSeconds() - start, result.Statistics);
    }

    /// <summary>CPU time of the calling thread, which does all the work with one intra-op thread; JIT and GC threads excluded.</summary>
    private static double CpuSeconds()
    {
        if (ClockGetTime(ThreadCpuClock, out var now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return now.Seconds + now.Nanoseconds * 1e-9;
    }

    private const int ThreadCpuClock = 3;

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Router weight whose first <paramref name="experts"/> hidden features each vote for one expert.</summary>
    private static Tensor RouterWeight(int experts, Generator generator)
    {
        var weight = normal(0.0, 0.001, [Hidden, experts], generator: generator);
        for (var expert = 0; expert < experts; expert++)
        {
            weight[expert, expert] = tensor(10f);
        }

        return weight;
    }

    /// <summary>
    /// Tokens whose expert choices follow the scenario: a token's first expert (and, for k = 2, its second, drawn
    /// from the others) is sampled from uniform or Zipf(1.2) weights, then written into the token as a strong vote
    /// feature (1 for the first choice, 0.5 for the second) on top of small noise, so the real router picks them.
    /// </summary>
    private static Tensor RoutedTokens(int experts, int topK, bool zipf, Generator generator)
    {
        var random = new Random(experts * 100 + topK);
        var weights = Enumerable.Range(1, experts).Select(rank => zipf ? Math.Pow(rank, -ZipfExponent) : 1.0).ToArray();
        var data = normal(0.0, 0.05, [Tokens, Hidden], generator: generator).data<float>().ToArray();
        for (var token = 0; token < Tokens; token++)
        {
            var first = Sample(weights, random, exclude: -1);
            data[token * Hidden + first] = 1f;
            if (topK == 2)
            {
                data[token * Hidden + Sample(weights, random, exclude: first)] = 0.5f;
            }
        }

        return tensor(data, [Tokens, Hidden]);
    }

    private static int Sample(double[] weights, Random random, int exclude)
    {
        var total = weights.Where((_, i) => i != exclude).Sum();
        var target = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            if (i == exclude)
            {
                continue;
            }

            target -= weights[i];
            if (target <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1 == exclude ? weights.Length - 2 : weights.Length - 1;
    }

    private sealed record Variant(string Name, nn.Module<Tensor, MoeOutput> Layer);

    /// <summary>One FFN over tokens * k rows: the useful FLOPs of the MoE layer with no routing, permutation or padding.</summary>
    private sealed class DenseEquivalent(long rows, Generator generator)
    {
        private readonly Tensor _input = normal(0.0, 1.0, [rows, Hidden], generator: generator);
        private readonly Tensor _up = normal(0.0, 0.02, [Hidden, Ffn], generator: generator);
        private readonly Tensor _down = normal(0.0, 0.02, [Ffn, Hidden], generator: generator);

        public double TimeStep()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var start = CpuSeconds();
            nn.functional.gelu(_input.matmul(_up)).matmul(_down);
            return CpuSeconds() - start;
        }
    }
}
