using System.Globalization;
using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Dropless MoE against the capacity-factor baseline at cf 1.0, 1.25 and 2.0, and against a dense FFN doing the same
/// useful work (<see cref="MoeDenseEquivalent"/>): hidden 512, FFN 2048, 4,096 tokens, 8 and 16 experts, k 1 and 2,
/// uniform and Zipf(1.2) routing. Every variant is timed for the training step (forward + backward, the unsuffixed
/// metrics) and for the forward pass alone (metrics suffixed <c>_forward</c>).
/// </summary>
/// <remarks>
/// Both sides run on one intra-op torch thread and are timed by the calling thread's CPU time, which excludes the
/// time slices of the other processes on this shared machine. Variants are interleaved within each repetition, in
/// an order rotated every repetition; the first repetition is a warm-up and the median of the rest is reported.
/// The suite first measures the dropless step against the dense step with glibc's default allocator, then switches
/// the allocator to retain freed memory (<see cref="NativeHeap.RetainFreedMemory"/>) for the full comparison, so that page
/// faults on fresh memory (recorded per step) do not decide the comparison. Run it alone: it is sensitive to what
/// else this process allocated.
/// </remarks>
internal sealed class MoeSuite : IBenchmarkSuite
{
    private const int Hidden = 512;
    private const int Ffn = 2048;
    private const int Tokens = 4096;
    private const int Repetitions = 7;
    private const int DefaultAllocatorRepetitions = 3;
    private const double ZipfExponent = 1.2;
    private const string Dropless = "dropless";
    private const string Dense = "dense_equivalent";
    private static readonly double[] CapacityFactors = [1.0, 1.25, 2.0];

    public string Name => "moe";

    public Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        var threads = get_num_threads();
        set_num_threads(1);
        var configurations = (from experts in new[] { 8, 16 }
                              from topK in new[] { 1, 2 }
                              from zipf in new[] { false, true }
                              select new Configuration(experts, topK, zipf)).ToList();
        var loadAtStart = MoeThreadClock.LoadAverage();
        Console.WriteLine($"  1 torch thread (of {threads}); {Repetitions} repetitions after 1 warm-up; thread CPU seconds; load {loadAtStart}");
        try
        {
            Console.WriteLine("  -- glibc default allocator: dropless vs dense training step");
            foreach (var configuration in configurations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CompareWithDefaultAllocator(report, configuration, cancellationToken);
            }

            if (!NativeHeap.RetainFreedMemory()) throw new InvalidOperationException("the moe suite needs glibc's mallopt to retain freed memory");
            Console.WriteLine("  -- allocator retaining freed memory: all variants, training step and forward pass");
            foreach (var configuration in configurations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CompareAll(report, configuration, cancellationToken);
            }
        }
        finally
        {
            NativeHeap.RestoreDefaults();
            set_num_threads(threads);
        }

        report.Add("load_average_1min.start", loadAtStart, "load");
        report.Add("load_average_1min.end", MoeThreadClock.LoadAverage(), "load");
        return Task.CompletedTask;
    }

    private static void CompareWithDefaultAllocator(BenchmarkReport report, Configuration configuration, CancellationToken cancellationToken)
    {
        var bench = new Bench(configuration);
        var variants = new List<Variant> { bench.Dropless(Dropless, GroupedProductStrategy.ExactGroups), bench.DenseVariant() };
        var samples = Measure(variants, backward: true, DefaultAllocatorRepetitions, cancellationToken);
        var detail = WithSamples(bench.Detail("forward+backward", DefaultAllocatorRepetitions, "glibc default"), samples, Dropless, Dense);
        report.Add($"dropless_over_dense_time_default_allocator.{configuration.Name}",
            Statistics.Median(samples[Dropless].Seconds) / Statistics.Median(samples[Dense].Seconds), "ratio", detail);
    }

    private static void CompareAll(BenchmarkReport report, Configuration configuration, CancellationToken cancellationToken)
    {
        var bench = new Bench(configuration);
        var variants = new List<Variant>
        {
            bench.Dropless(Dropless, GroupedProductStrategy.ExactGroups),
            bench.Dropless("dropless_block_padded", GroupedProductStrategy.BlockPaddedGroups),
        };
        if (!configuration.Zipf || (configuration.Experts == 8 && configuration.TopK == 1))
        {
            // Padding every group to the largest is cheap only when routing is even; one skewed case shows the cost.
            variants.Add(bench.Dropless("dropless_batched", GroupedProductStrategy.BatchedPaddedGroups));
        }

        variants.AddRange(CapacityFactors.Select(bench.Capacity));
        variants.Add(bench.DenseVariant());

        var load = MoeThreadClock.LoadAverage();
        foreach (var (backward, suffix) in new[] { (true, ""), (false, "_forward") })
        {
            var samples = Measure(variants, backward, Repetitions, cancellationToken);
            var detail = bench.Detail(backward ? "forward+backward" : "forward", Repetitions, "retains freed memory");
            detail["loadAverageAtStart"] = load;
            foreach (var variant in variants)
            {
                report.Add($"tokens_per_second{suffix}.{variant.Name}.{configuration.Name}", Tokens / Statistics.Median(samples[variant.Name].Seconds), "tokens/s",
                    WithSamples(detail, samples, variant.Name));
            }

            var dropless = Statistics.Median(samples[Dropless].Seconds);
            var cf2 = CapacityName(2.0);
            report.Add($"speedup_vs_cf2{suffix}.{configuration.Name}", Statistics.Median(samples[cf2].Seconds) / dropless, "ratio",
                WithSamples(detail, samples, Dropless, cf2));
            report.Add($"dropless_over_dense_time{suffix}.{configuration.Name}", dropless / Statistics.Median(samples[Dense].Seconds), "ratio",
                WithSamples(detail, samples, Dropless, Dense));
        }

        // Routing is seeded, so every pass dispatched the same way: the statistics of the last forward describe them all.
        var layout = bench.Detail("forward", 1, "any");
        var droplessStatistics = variants[0].Statistics!;
        report.Add($"largest_expert_share.{configuration.Name}",
            droplessStatistics.AssignmentsPerExpert.Max() / (double)droplessStatistics.Assignments, "ratio", layout);
        foreach (var variant in variants.Where(v => v.Statistics is not null))
        {
            var stats = variant.Statistics!;
            report.Add($"padding_flops.{variant.Name}.{configuration.Name}", stats.PaddingFlops(Hidden, Ffn), "FLOP", layout);
            report.Add($"padding_share.{variant.Name}.{configuration.Name}", stats.PaddingRows / (double)stats.ComputedRows, "ratio", layout);
            report.Add($"dropped_fraction.{variant.Name}.{configuration.Name}", stats.DroppedAssignmentFraction, "ratio", layout);
        }

        report.Add($"dropped_fraction_cf1.{configuration.Name}",
            variants.Single(v => v.Name == CapacityName(1.0)).Statistics!.DroppedAssignmentFraction, "ratio", layout);
    }

    /// <summary>Times every variant <paramref name="repetitions"/> times after one warm-up, interleaved in a rotating order.</summary>
    private static Dictionary<string, Samples> Measure(List<Variant> variants, bool backward, int repetitions, CancellationToken cancellationToken)
    {
        var samples = variants.ToDictionary(v => v.Name, _ => new Samples([], []));
        for (var repetition = 0; repetition <= repetitions; repetition++)
        {
            for (var i = 0; i < variants.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var variant = variants[(i + repetition) % variants.Count];
                var faults = MoeThreadClock.MinorFaults();
                var start = MoeThreadClock.CpuSeconds();
                variant.Step(backward);
                var seconds = MoeThreadClock.CpuSeconds() - start;
                if (repetition > 0)
                {
                    samples[variant.Name].Seconds.Add(seconds);
                    samples[variant.Name].Faults.Add(MoeThreadClock.MinorFaults() - faults);
                }
            }
        }

        return samples;
    }

    /// <summary><paramref name="detail"/> plus the per-repetition seconds and page faults of the named variants.</summary>
    private static Dictionary<string, object> WithSamples(Dictionary<string, object> detail, Dictionary<string, Samples> samples, params string[] names)
    {
        var result = new Dictionary<string, object>(detail);
        foreach (var name in names)
        {
            result[$"{name}.secondsPerStep"] = samples[name].Seconds;
            result[$"{name}.pageFaultsPerStep"] = samples[name].Faults;
        }

        return result;
    }

    private static string CapacityName(double factor) =>
        "cf" + factor.ToString("0.0#", CultureInfo.InvariantCulture).Replace('.', '_');

    private sealed record Configuration(int Experts, int TopK, bool Zipf)
    {
        public string Name => $"e{Experts}_k{TopK}_{(Zipf ? "zipf" : "uniform")}";
    }

    private sealed record Samples(List<double> Seconds, List<long> Faults);

    /// <summary>A timed step; MoE variants keep the dispatch statistics of their last forward pass.</summary>
    private sealed class Variant(string name, Func<bool, MoeDispatchStatistics?> step)
    {
        public string Name { get; } = name;

        public MoeDispatchStatistics? Statistics { get; private set; }

        public void Step(bool backward) => Statistics = step(backward) ?? Statistics;
    }

    /// <summary>One configuration's shared router, expert weights, routed tokens and upstream gradient.</summary>
    private sealed class Bench
    {
        private readonly Configuration _configuration;
        private readonly MoeOptions _options;
        private readonly TopKRouter _router;
        private readonly ExpertWeights _experts;
        private readonly Tensor _tokens;
        private readonly Tensor _upstream;
        private readonly MoeDenseEquivalent _dense;

        public Bench(Configuration configuration)
        {
            _configuration = configuration;
            var (experts, topK) = (configuration.Experts, configuration.TopK);
            var generator = new Generator(1234UL + (ulong)(experts * 10 + topK));
            _options = new MoeOptions(Hidden, Ffn, experts, topK);
            _router = new TopKRouter(_options, MoeRoutedTokens.RouterWeight(Hidden, experts, generator));
            _experts = new ExpertWeights(experts, Hidden, Ffn, generator);
            _tokens = MoeRoutedTokens.Create(Tokens, Hidden, experts, topK, configuration.Zipf ? ZipfExponent : null, generator, experts * 100 + topK)
                .requires_grad_(true);
            _upstream = normal(0.0, 1.0, [Tokens, Hidden], generator: generator);
            _dense = new MoeDenseEquivalent(Tokens, topK, Hidden, Ffn, _upstream, generator);
        }

        public Variant Dropless(string name, GroupedProductStrategy strategy) =>
            MoeVariant(name, new DroplessMoeLayer(_options, _router, _experts, null, null, strategy));

        public Variant Capacity(double factor) =>
            MoeVariant(CapacityName(factor), new CapacityFactorMoeLayer(_options with { CapacityFactor = factor }, _router, _experts));

        public Variant DenseVariant() => new(Dense, backward =>
        {
            _dense.Step(backward);
            return null;
        });

        public Dictionary<string, object> Detail(string step, int repetitions, string allocator) =>
            new()
            {
                ["experts"] = _configuration.Experts, ["topK"] = _configuration.TopK, ["routing"] = _configuration.Zipf ? "zipf1.2" : "uniform",
                ["tokens"] = Tokens, ["hidden"] = Hidden, ["ffn"] = Ffn, ["step"] = step, ["repetitions"] = repetitions,
                ["clock"] = "thread cpu-seconds, 1 intra-op thread, median", ["allocator"] = allocator,
            };

        private Variant MoeVariant(string name, nn.Module<Tensor, MoeOutput> layer) => new(name, backward =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = backward ? null : no_grad();
            var result = layer.forward(_tokens);
            if (backward)
            {
                ((result.Output * _upstream).sum() + result.RegularizationLoss).backward();
                foreach (var parameter in layer.parameters())
                {
                    parameter.grad = null;
                }

                _tokens.grad = null;
            }

            return result.Statistics;
        });
    }
}
