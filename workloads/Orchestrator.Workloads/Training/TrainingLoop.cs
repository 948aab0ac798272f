using System.Diagnostics;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Kernels.Native;
using Orchestrator.Kernels.Pipeline;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// Trains a GPT, dense or Mixture-of-Experts, with the layout (t, p, d, e) and schedule of <see cref="TrainingOptions"/>:
/// every rank is a thread of this process running its pipeline program. Each step reports the language-model loss
/// (an MoE model's regularisation losses are trained on, not reported; see <see cref="TrainingStep.Loss"/>). Flushing
/// schedules run one schedule per optimizer step. PipeDream-2BW runs windows of <see cref="TwoBWWindow"/> steps
/// without a flush inside them (its update rule holds within a window; the first two batches of each window use the
/// newest weights). Cancellation is honoured between steps (between windows
/// for 2BW). With <see cref="TrainingCheckpointing"/> the run resumes from the job's newest usable checkpoint under
/// its own layout and checkpoints at step boundaries in two phases (training waits only for the copy into host memory);
/// split over processes, each writes its own shards and the process hosting rank 0 commits (see <see cref="CheckpointSession"/>).
/// </summary>
public static class TrainingLoop
{
    /// <summary>Steps per PipeDream-2BW schedule: long enough to pipeline across batches, short enough to report often.</summary>
    public const int TwoBWWindow = 4;

    /// <summary>
    /// Runs steps <see cref="TrainingOptions.StartStep"/> .. <see cref="TrainingOptions.Steps"/>-1, or, with
    /// <paramref name="checkpointing"/>, resumes from the job's newest usable checkpoint (under this run's layout,
    /// whatever layout saved it) and continues from its step, checkpointing as its interval asks, on a
    /// checkpoint-and-stop request, and after the last step. Under PipeDream-2BW checkpoints are taken at window
    /// boundaries, where the master weights and optimizer state are the whole training state.
    /// </summary>
    /// <param name="options">What to train and how.</param>
    /// <param name="observer">Receives every step.</param>
    /// <param name="cancellationToken">Stops the run between steps; no checkpoint is started after it fires (saves already in flight are committed).</param>
    /// <param name="checkpointing">Where and when to checkpoint; null to train without checkpoints.</param>
    /// <param name="placement">
    /// Null: every rank runs in this process. Otherwise this process runs only its ranks and reaches the others over the
    /// network; steps are then reported only by the process hosting world rank 0 (losses are summed over all processes).
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid (checked before any tensor is allocated), or the job's checkpoint holds a model of another shape.</exception>
    public static Task<TrainingResult> RunAsync(
        TrainingOptions options, IStepObserver observer, CancellationToken cancellationToken, TrainingCheckpointing? checkpointing = null, ProcessPlacement? placement = null) =>
        RunAsync(options, observer, cancellationToken, checkpointing, placement, finished: null);

    /// <summary>As the public overload; <paramref name="finished"/> sees the local ranks' state after the last step (tests compare weights).</summary>
    internal static async Task<TrainingResult> RunAsync(
        TrainingOptions options, IStepObserver observer, CancellationToken cancellationToken, TrainingCheckpointing? checkpointing, ProcessPlacement? placement,
        Action<IReadOnlyList<RankTrainingState>>? finished)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        options.Validate();
        checkpointing?.Validate();
        var source = TokenSources.Create(options.DataSource, options.Vocabulary, options.SequenceLength, options.Seed);
        TorchRuntime.EnsureLoaded();
        // Keep freed C-heap memory in the process, as a caching allocator would: otherwise every step page-faults on its
        // large activations and gradients afresh (see NativeHeap.RetainFreedMemory and docs/kernels.md).
        NativeHeap.RetainFreedMemory();
        var device = torch.device(options.Device);
        // Ranks are threads of one process: give each its share of the cores instead of letting every rank's
        // intra-op pool claim all of them.
        var localRanks = placement?.ProcessOfRank.Count(p => p == placement.ThisProcess) ?? options.WorldSize;
        torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / Math.Max(1, localRanks)));
        Func<Kernels.Communication.ParallelGrid, Kernels.Communication.IRankWorld> createWorld = grid =>
            placement is null ? new Kernels.Communication.InProcessWorld(grid) : placement.CreateWorld(grid, options.Device);

        var ranks = await Task.Run(() => new PartitionedRanks(options, device, createWorld), cancellationToken).ConfigureAwait(false);
        try
        {
            await using var session = checkpointing is null ? null : new CheckpointSession(checkpointing, options, placement);
            var step = options.StartStep;
            if (session is not null)
            {
                var (resumeStep, rebuildRanks) = await session.PrepareAsync(ranks.States, cancellationToken).ConfigureAwait(false);
                if (rebuildRanks)
                {
                    // A damaged checkpoint was partly restored and nothing older was usable: start from the initial weights.
                    ranks.Dispose();
                    ranks = await Task.Run(() => new PartitionedRanks(options, device, createWorld), cancellationToken).ConfigureAwait(false);
                }

                step = resumeStep ?? options.StartStep;
                // Each process restored its own ranks; a process that fell back to another checkpoint (a chunk only it
                // read was damaged) would train from other weights, so the attempt fails instead.
                if (placement is not null) await Task.Run(() => ProcessAgreement.EnsureSame(ranks, step, "the step restored from the checkpoint store"), cancellationToken).ConfigureAwait(false);
            }

            var result = await TrainAsync(options, observer, source, device, ranks, session, step, placement is not null, cancellationToken).ConfigureAwait(false);
            finished?.Invoke(ranks.States);
            return result;
        }
        finally
        {
            ranks.Dispose();
        }
    }

    private static async Task<TrainingResult> TrainAsync(
        TrainingOptions options, IStepObserver observer, ITokenSource source, Device device, ITrainingRanks ranks, CheckpointSession? session, long step, bool split, CancellationToken cancellationToken)
    {
        var twoBW = options.ScheduleOptions().Kind == PipelineScheduleKind.PipeDream2BW;
        var schedules = new Dictionary<int, PipelineExecutor[]>();
        // Under a split run the process hosting world rank 0 reports; the others train silently.
        var reports = ranks.LocalRanks.Contains(0);
        var losses = new List<double>();
        long tokens = 0;
        var total = Stopwatch.StartNew();
        var tokensPerStep = (long)options.GlobalBatch * options.SequenceLength;
        var flopsPerStep = ModelFlops.PerStep(options);
        var cancelAgreed = false;
        while (step < options.Steps)
        {
            // A split run stops only when all its processes stop (one leaving alone would strand the others): on the
            // cancellation the processes agreed on with the previous schedule's losses.
            if (split ? cancelAgreed : cancellationToken.IsCancellationRequested)
            {
                if (session is not null) await session.CompleteInFlightAsync().ConfigureAwait(false);
                return Result(cancelled: true);
            }

            var batches = twoBW ? (int)Math.Min(TwoBWWindow, options.Steps - step) : 1;
            if (!schedules.TryGetValue(batches, out var executors))
            {
                var schedule = PipelineScheduleGenerator.Generate(options.ScheduleOptions(batches));
                executors = new PipelineExecutor[options.WorldSize];
                foreach (var r in ranks.LocalRanks) executors[r] = new PipelineExecutor(schedule, ranks.ModelOf(r), ranks.TransportOf(r));
                schedules[batches] = executors;
            }

            var watch = Stopwatch.StartNew();
            var first = step;
            var localCancel = split ? cancellationToken : CancellationToken.None;
            (var stepLosses, cancelAgreed) = await Task.Run(() => RunSchedule(options, source, device, ranks, executors, first, batches, twoBW, localCancel), CancellationToken.None).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds / batches;
            var mfu = ModelFlops.Utilization(flopsPerStep, seconds, options.WorldSize, options.PeakFlopsPerDevice);
            foreach (var loss in stepLosses)
            {
                losses.Add(loss);
                tokens += tokensPerStep;
                if (reports) await observer.OnStepAsync(new TrainingStep(step, loss, tokensPerStep, seconds, tokensPerStep / seconds, flopsPerStep, mfu), cancellationToken).ConfigureAwait(false);
                step++;
            }

            if (session is not null && await session.AtStepBoundaryAsync(ranks, step, cancellationToken).ConfigureAwait(false))
            {
                var stopCheckpoint = new[] { session.LastCommitted, session.RestoredFrom }.FirstOrDefault(c => c?.Step == step);
                return Result(cancelled: false, stopped: true, stopCheckpoint);
            }
        }

        if (session is not null) await session.FinishAsync(ranks, step, cancellationToken).ConfigureAwait(false);
        return Result(cancelled: false);

        TrainingResult Result(bool cancelled, bool stopped = false, CheckpointId? stopCheckpoint = null) =>
            new(losses.Count, losses, tokens, total.Elapsed.TotalSeconds, cancelled, stopped, stopCheckpoint, session?.LastCommitted, session?.RestoredFrom);
    }

    /// <summary>
    /// Runs one schedule on every rank; returns each step's mean loss over its global batch, and whether any process's
    /// <paramref name="cancellation"/> had fired by the end (it rides on the losses' all-reduce: no collective of its own).
    /// </summary>
    private static (double[] Losses, bool Cancelled) RunSchedule(
        TrainingOptions options, ITokenSource source, Device device, ITrainingRanks ranks, PipelineExecutor[] executors, long firstStep, int steps, bool twoBW,
        CancellationToken cancellation)
    {
        var batches = Enumerable.Range(0, options.DataParallelSize)
            .Select(d => new TokenBatch(source, firstStep, d, options.MicroBatches, options.MicroBatch, options.SequenceLength, device)).ToArray();
        var lossSums = new double[options.WorldSize][];
        try
        {
            if (twoBW) ranks.RestartWeightVersions();
            // A schedule is not interrupted half-way; ranks are only aborted when one of them fails.
            ranks.Run((rank, abort) =>
            {
                var result = executors[rank].Run(batches[ranks.DataParallelRankOf(rank)], abort);
                // Each step's loss summed over the reporting ranks of every process: one small all-reduce per schedule.
                var sums = new double[steps + 1];
                sums[steps] = cancellation.IsCancellationRequested ? 1 : 0;
                if (ranks.ReportsLoss(rank))
                {
                    foreach (var (microBatch, loss) in result.MicroBatchLosses) sums[microBatch / options.MicroBatches] += loss;
                }

                using var total = tensor(sums);
                ranks.GroupsOf(rank).World.AllReduce(total);
                lossSums[rank] = total.data<double>().ToArray();
            });
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }

        // Each step's loss summed m micro-batches on each of d replicas; all are the same size.
        var perStep = lossSums[ranks.LocalRanks[0]];
        return (perStep[..steps].Select(sum => sum / (options.MicroBatches * options.DataParallelSize)).ToArray(), perStep[steps] > 0);
    }
}
