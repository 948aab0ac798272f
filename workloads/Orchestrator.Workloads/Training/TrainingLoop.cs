using System.Diagnostics;
using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Workloads.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// Trains a GPT with the layout and schedule of <see cref="TrainingOptions"/>: every rank is a thread of this process
/// running its pipeline program. Flushing schedules run one schedule per optimizer step. PipeDream-2BW runs windows
/// of <see cref="TwoBWWindow"/> steps without a flush inside them (its update rule holds within a window; the first
/// two batches of each window use the newest weights). Cancellation is honoured between steps (between windows
/// for 2BW).
/// </summary>
public static class TrainingLoop
{
    /// <summary>Steps per PipeDream-2BW schedule: long enough to pipeline across batches, short enough to report often.</summary>
    public const int TwoBWWindow = 4;

    /// <summary>Runs steps <see cref="TrainingOptions.StartStep"/> .. <see cref="TrainingOptions.Steps"/>-1.</summary>
    /// <exception cref="ArgumentException">The options are invalid (checked before any tensor is allocated).</exception>
    public static async Task<TrainingResult> RunAsync(TrainingOptions options, IStepObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        options.Validate();
        var source = TokenSources.Create(options.DataSource, options.Vocabulary, options.SequenceLength, options.Seed);
        TorchRuntime.EnsureLoaded();
        var device = torch.device(options.Device);
        // Ranks are threads of one process: give each its share of the cores instead of letting every rank's
        // intra-op pool claim all of them.
        torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / options.WorldSize));

        using var ranks = await Task.Run(() => new PartitionedRanks(options, device), cancellationToken).ConfigureAwait(false);
        var twoBW = options.ScheduleOptions().Kind == PipelineScheduleKind.PipeDream2BW;
        var schedules = new Dictionary<int, PipelineExecutor[]>();

        var losses = new List<double>();
        long tokens = 0;
        var total = Stopwatch.StartNew();
        var tokensPerStep = (long)options.GlobalBatch * options.SequenceLength;
        var step = options.StartStep;
        while (step < options.Steps)
        {
            if (cancellationToken.IsCancellationRequested)
                return new TrainingResult(losses.Count, losses, tokens, total.Elapsed.TotalSeconds, Cancelled: true);

            var batches = twoBW ? (int)Math.Min(TwoBWWindow, options.Steps - step) : 1;
            if (!schedules.TryGetValue(batches, out var executors))
            {
                var schedule = PipelineScheduleGenerator.Generate(options.ScheduleOptions(batches));
                executors = Enumerable.Range(0, ranks.WorldSize).Select(r => new PipelineExecutor(schedule, ranks.ModelOf(r), ranks.TransportOf(r))).ToArray();
                schedules[batches] = executors;
            }

            var watch = Stopwatch.StartNew();
            var first = step;
            var stepLosses = await Task.Run(() => RunSchedule(options, source, device, ranks, executors, first, batches, twoBW), CancellationToken.None).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds / batches;
            foreach (var loss in stepLosses)
            {
                losses.Add(loss);
                tokens += tokensPerStep;
                await observer.OnStepAsync(new TrainingStep(step, loss, tokensPerStep, seconds, tokensPerStep / seconds), cancellationToken).ConfigureAwait(false);
                step++;
            }
        }

        return new TrainingResult(losses.Count, losses, tokens, total.Elapsed.TotalSeconds, Cancelled: false);
    }

    /// <summary>Runs one schedule on every rank; returns each step's mean loss over its global batch.</summary>
    private static double[] RunSchedule(
        TrainingOptions options, ITokenSource source, Device device, ITrainingRanks ranks, PipelineExecutor[] executors, long firstStep, int steps, bool twoBW)
    {
        var batches = Enumerable.Range(0, options.DataParallelSize)
            .Select(d => new TokenBatch(source, firstStep, d, options.MicroBatches, options.MicroBatch, options.SequenceLength, device)).ToArray();
        var results = new PipelineRunResult[ranks.WorldSize];
        try
        {
            if (twoBW) ranks.RestartWeightVersions();
            // A schedule is not interrupted half-way; ranks are only aborted when one of them fails.
            ranks.Run((rank, abort) => results[rank] = executors[rank].Run(batches[ranks.DataParallelRankOf(rank)], abort));
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }

        var perStep = new double[steps];
        foreach (var (microBatch, loss) in Enumerable.Range(0, ranks.WorldSize).Where(ranks.ReportsLoss).SelectMany(r => results[r].MicroBatchLosses))
            perStep[microBatch / options.MicroBatches] += loss;
        // Each step's loss summed m micro-batches on each of d replicas; all are the same size.
        return perStep.Select(sum => sum / (options.MicroBatches * options.DataParallelSize)).ToArray();
    }
}
