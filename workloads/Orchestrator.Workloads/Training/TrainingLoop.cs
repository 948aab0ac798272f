using System.Diagnostics;
using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Workloads.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// Trains a GPT with the layout and schedule of <see cref="TrainingOptions"/>: every rank is a thread of this process
/// running its pipeline program, one flushing schedule per optimizer step. Cancellation is honoured between steps.
/// </summary>
public static class TrainingLoop
{
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

        // The model and its threads are built off the caller's thread: construction allocates and may take a while.
        using var ranks = await Task.Run(() => TrainingRanks.Create(options, device), cancellationToken).ConfigureAwait(false);
        var schedule = PipelineScheduleGenerator.Generate(options.ScheduleOptions());
        var executors = Enumerable.Range(0, ranks.WorldSize)
            .Select(r => new PipelineExecutor(schedule, ranks.ModelOf(r), ranks.TransportOf(r))).ToArray();

        var losses = new List<double>();
        long tokens = 0;
        var total = Stopwatch.StartNew();
        var tokensPerStep = (long)options.GlobalBatch * options.SequenceLength;
        for (var step = options.StartStep; step < options.Steps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
                return new TrainingResult(losses.Count, losses, tokens, total.Elapsed.TotalSeconds, Cancelled: true);

            var watch = Stopwatch.StartNew();
            var loss = await Task.Run(() => RunStep(options, source, device, ranks, executors, step), CancellationToken.None).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            losses.Add(loss);
            tokens += tokensPerStep;
            await observer.OnStepAsync(new TrainingStep(step, loss, tokensPerStep, seconds, tokensPerStep / seconds), cancellationToken).ConfigureAwait(false);
        }

        return new TrainingResult(losses.Count, losses, tokens, total.Elapsed.TotalSeconds, Cancelled: false);
    }

    /// <summary>Runs one optimizer step on every rank; returns the mean loss over the global batch.</summary>
    private static double RunStep(TrainingOptions options, ITokenSource source, Device device, ITrainingRanks ranks, PipelineExecutor[] executors, long step)
    {
        var batches = Enumerable.Range(0, options.DataParallelSize)
            .Select(d => new TokenBatch(source, step, d, options.MicroBatches, options.MicroBatch, options.SequenceLength, device)).ToArray();
        var results = new PipelineRunResult[ranks.WorldSize];
        try
        {
            // A step is not interrupted half-way: cancellation only aborts ranks when one of them fails.
            InProcessRanks.Run(ranks.WorldSize, (rank, abort) =>
                results[rank] = executors[rank].Run(batches[ranks.DataParallelRankOf(rank)], abort), CancellationToken.None);
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }

        var reported = Enumerable.Range(0, ranks.WorldSize)
            .Where(r => ranks.ReportsLoss(r) && ranks.PipelineStageOf(r) == options.PipelineParallelSize - 1)
            .SelectMany(r => results[r].MicroBatchLosses.Values)
            .ToList();
        return reported.Average();
    }
}
