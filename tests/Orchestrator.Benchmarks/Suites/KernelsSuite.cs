using System.Diagnostics;
using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Parallel;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Workloads.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Issue 4's measurements: training throughput of the small GPT per layout on this machine's cores, the pipeline
/// bubble the executor really shows against (p-1)/(v·m), and each pipeline rank's peak memory with and without
/// activation recomputation. See docs/kernels.md for what the figures mean.
/// </summary>
internal sealed class KernelsSuite : IBenchmarkSuite
{
    private const int WarmupSteps = 2;
    private const int MeasuredSteps = 10;
    private static readonly TimeSpan ForwardDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan BackwardDelay = TimeSpan.FromMilliseconds(40);

    public string Name => "kernels";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        var layouts = new[] { (1, 1, 1), (2, 1, 1), (1, 2, 1), (1, 1, 2) };

        // Process-wide first-use costs (JIT of the training path, LibTorch's kernels and thread pools, the C heap
        // growing to its working size) otherwise all land on whichever layout is measured first: run every layout
        // once, untimed, before timing any.
        foreach (var (t, p, d) in layouts)
            await TrainingLoop.RunAsync(ThroughputOptions(t, p, d), new StepTimes(), cancellationToken);

        foreach (var (t, p, d) in layouts)
            await MeasureThroughputAsync(report, t, p, d, cancellationToken);

        foreach (var (kind, v, suffix) in new[]
                 {
                     (PipelineScheduleKind.OneForwardOneBackward, 1, ""),
                     (PipelineScheduleKind.GPipe, 1, "_gpipe"),
                     (PipelineScheduleKind.Interleaved, 2, "_interleaved_v2"),
                 })
        {
            MeasureBubble(report, kind, stages: 4, microBatches: 8, v, suffix);
        }

        foreach (var mode in Enum.GetValues<RecomputationMode>())
            MeasurePeakMemory(report, mode);
    }

    private static TrainingOptions ThroughputOptions(int tensor, int pipeline, int data) => new(
        Layers: 4, Hidden: 64, Heads: 4, SequenceLength: 32, Vocabulary: 256, GlobalBatch: 16, MicroBatch: 2,
        Steps: WarmupSteps + MeasuredSteps, TensorParallelSize: tensor, PipelineParallelSize: pipeline, DataParallelSize: data);

    /// <summary>Tokens per second of the training loop over steps after a warm-up.</summary>
    private static async Task MeasureThroughputAsync(BenchmarkReport report, int tensor, int pipeline, int data, CancellationToken cancellationToken)
    {
        var options = ThroughputOptions(tensor, pipeline, data);
        var observer = new StepTimes();
        await TrainingLoop.RunAsync(options, observer, cancellationToken);
        var measured = observer.Steps.Skip(WarmupSteps).ToList();
        var value = measured.Sum(s => s.Tokens) / measured.Sum(s => s.StepSeconds);
        report.Add($"tokens_per_s.t{tensor}_p{pipeline}_d{data}", value, "tokens/s", new Dictionary<string, object>
        {
            ["layout"] = $"t{tensor}·p{pipeline}·d{data}",
            ["schedule"] = options.Schedule,
            ["microBatches"] = options.MicroBatches,
            ["steps"] = measured.Count,
            ["finalLoss"] = measured[^1].Loss,
        });
    }

    /// <summary>
    /// Runs a schedule on the real executor and in-process transport with stages whose forward and backward take fixed
    /// times (so four stages are concurrent even on two cores); the bubble is (wall time - ideal) / ideal.
    /// </summary>
    private static void MeasureBubble(BenchmarkReport report, PipelineScheduleKind kind, int stages, int microBatches, int chunks, string suffix)
    {
        var schedule = PipelineScheduleGenerator.Generate(new(kind, stages, microBatches, chunks));
        var ideal = microBatches * chunks * (ForwardDelay + BackwardDelay).TotalSeconds;
        var best = double.MaxValue;
        var busy = 0.0;
        for (var repetition = 0; repetition < 3; repetition++)
        {
            var transport = new InProcessPipelineTransport(stages);
            var models = Enumerable.Range(0, stages).Select(_ => new DelayStageModel()).ToArray();
            var watch = Stopwatch.StartNew();
            InProcessRanks.Run(stages, (rank, token) =>
                new PipelineExecutor(schedule, models[rank], transport.ForStage(rank)).Run(new ConstantBatch(), token), CancellationToken.None);
            if (watch.Elapsed.TotalSeconds < best)
            {
                best = watch.Elapsed.TotalSeconds;
                busy = models.Max(m => m.BusySeconds);
            }
        }

        var theory = (stages - 1) / (double)(chunks * microBatches);
        var simulated = PipelineScheduleSimulator.Simulate(schedule, ForwardDelay.TotalSeconds, BackwardDelay.TotalSeconds).IdleFraction;
        var name = $"p{stages}_m{microBatches}{suffix}";
        var detail = new Dictionary<string, object>
        {
            ["schedule"] = PipelineScheduleNames.NameOf(kind),
            ["virtualStages"] = chunks,
            ["forwardSeconds"] = ForwardDelay.TotalSeconds,
            ["backwardSeconds"] = BackwardDelay.TotalSeconds,
            ["idealSeconds"] = ideal,
            ["wallSeconds"] = best,
            ["busySeconds"] = busy,
            ["idleOverNominalIdeal"] = (best - ideal) / ideal,
            ["simulated"] = simulated,
        };
        // Relative to the compute the busiest rank really did (sleeps overshoot a little on a loaded machine).
        report.Add($"bubble_fraction_measured.{name}", (best - busy) / busy, "fraction", detail);
        report.Add($"bubble_fraction_theory.{name}", theory, "fraction", new Dictionary<string, object> { ["formula"] = "(p-1)/(v·m)" });
    }

    /// <summary>Peak activation memory of each pipeline rank (<see cref="ActivationPeakMeasurement"/>).</summary>
    private static void MeasurePeakMemory(BenchmarkReport report, RecomputationMode mode)
    {
        foreach (var peak in ActivationPeakMeasurement.Measure(mode))
        {
            report.Add($"peak_activation_bytes.p{ActivationPeakMeasurement.Stages}_rank{peak.Stage}.recompute_{mode.ToString().ToLowerInvariant()}", peak.ActivationBytes, "bytes", new Dictionary<string, object>
            {
                ["inFlightMicroBatches"] = peak.InFlightMicroBatches,
                ["microBatchSize"] = ActivationPeakMeasurement.MicroBatchSize,
                ["weightBytes"] = peak.WeightBytes,
                ["peakBytes"] = peak.WeightBytes + peak.ActivationBytes,
            });
        }
    }

    private sealed class StepTimes : IStepObserver
    {
        public List<TrainingStep> Steps { get; } = [];

        public ValueTask OnStepAsync(TrainingStep step, CancellationToken ct)
        {
            Steps.Add(step);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A stage whose forward and backward take fixed wall time and carry a real autograd graph.</summary>
    private sealed class DelayStageModel : IPipelineStageModel
    {
        private readonly Parameter _scale = new(ones(1), requires_grad: true);
        private long _busyTicks;

        public double BusySeconds => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks)).TotalSeconds;

        public Tensor Forward(int chunk, int weightVersion, Tensor input, Tensor? targets)
        {
            var x = input.dtype == ScalarType.Int64 ? input.to_type(ScalarType.Float32) * _scale : input;
            var y = CommunicationFunction.Apply(x,
                f => { Busy(ForwardDelay); return f.clone(); },
                g => { Busy(BackwardDelay); return g.clone(); });
            return targets is null ? y : y.mean();
        }

        public void OptimizerStep(int createdVersion)
        {
            using var grad = _scale.grad;
            grad?.zero_();
        }

        private void Busy(TimeSpan duration)
        {
            var watch = Stopwatch.StartNew();
            Thread.Sleep(duration);
            Interlocked.Add(ref _busyTicks, watch.Elapsed.Ticks);
        }
    }

    private sealed class ConstantBatch : IPipelineBatch
    {
        public Tensor Inputs(int microBatch) => ones([1, 4], ScalarType.Int64);

        public Tensor Targets(int microBatch) => ones([1, 4], ScalarType.Int64);
    }
}
