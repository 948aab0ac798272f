using System.Globalization;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
using Orchestrator.Kernels.Moe;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Training;

namespace Orchestrator.MultiProcess.TestHost;

/// <summary>
/// The layouts the multi-process equality tests split over processes, by name, and what a run leaves behind: each step's
/// loss and every local rank's parameters after the last step, as text lines both sides compare.
/// </summary>
public static class TrainingScenarios
{
    private static readonly TrainingOptions Base = new(
        Layers: 4, Hidden: 32, Heads: 2, SequenceLength: 16, Vocabulary: 256, GlobalBatch: 8, MicroBatch: 1, Steps: 3, LearningRate: 1e-2);

    /// <summary>The options of scenario <paramref name="name"/>.</summary>
    public static TrainingOptions Options(string name) => name switch
    {
        "t2p2d2" => Base with { TensorParallelSize = 2, PipelineParallelSize = 2, DataParallelSize = 2 },
        "d4" => Base with { DataParallelSize = 4 },
        "p4-interleaved" => Base with { Layers = 8, PipelineParallelSize = 4, VirtualStages = 2, Schedule = "interleaved" },
        "e2" => Base with { DataParallelSize = 2, ExpertParallelSize = 2, Moe = new GptMoeSettings(ExpertCount: 4, TopK: 2, Every: 2, BlockSize: 16) },
        "moe-t2-sp" => Base with { TensorParallelSize = 2, SequenceParallel = true, Moe = new GptMoeSettings(ExpertCount: 4, TopK: 2, Every: 2, BlockSize: 16) },
        "zero1-d2" => Base with { DataParallelSize = 2, ShardOptimizerState = true },
        _ => throw new ArgumentException($"unknown scenario '{name}'", nameof(name)),
    };

    /// <summary>Trains scenario <paramref name="name"/> (split when <paramref name="placement"/> is set); returns its lines.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string name, ProcessPlacement? placement)
    {
        var lines = new List<string>();
        var observer = new LineObserver(lines);
        await TrainingLoop.RunAsync(Options(name), observer, CancellationToken.None, checkpointing: null, placement, finished: states =>
        {
            foreach (var state in states)
            {
                foreach (var parameter in state.Parameters)
                {
                    using var values = parameter.Value.detach().reshape(-1).contiguous();
                    lines.Add($"weight {state.Groups.GlobalRank} {parameter.Name} {string.Join(",", values.data<float>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
                }
            }
        });
        return lines;
    }

    /// <summary>Job id of the checkpoints <see cref="SaveAsync"/> writes.</summary>
    public const string CheckpointJob = "split-job";

    /// <summary>
    /// Trains the first <paramref name="steps"/> steps of scenario <paramref name="name"/> (split when
    /// <paramref name="placement"/> is set) and checkpoints the last into the store at <paramref name="checkpoints"/>
    /// as attempt 1 of <see cref="CheckpointJob"/>, and every <paramref name="every"/> steps before; with
    /// <paramref name="refuseCommits"/> the commit fence refuses every commit. Returns its loss lines.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SaveAsync(string name, ProcessPlacement? placement, string checkpoints, int steps, int every, bool refuseCommits)
    {
        var lines = new List<string>();
        var store = new CheckpointStore(new CheckpointStoreOptions { Root = checkpoints });
        await TrainingLoop.RunAsync(Options(name) with { Steps = steps }, new LineObserver(lines), CancellationToken.None,
            new TrainingCheckpointing(store, CheckpointJob, 1, CheckpointInterval.EverySteps(every)) { Fence = (_, _) => ValueTask.FromResult(!refuseCommits) }, placement);
        return lines;
    }

    /// <summary>
    /// Trains scenario <paramref name="name"/> for many steps as one process of a split run, never finishing on its
    /// own: the process hosting rank 0 creates <paramref name="marker"/> after its third step; every other process,
    /// once it sees the marker, kills itself (<paramref name="kill"/>: SIGKILL, exit status 137, as an operator or the
    /// OOM killer would) or cancels its own run (as a stop answered to its heartbeat would). Returns
    /// "cancelled BOOL steps N" when the run returns.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TrainUntilAPeerStopsAsync(string name, ProcessPlacement placement, string marker, bool kill)
    {
        using var cancel = new CancellationTokenSource();
        if (placement.ProcessOfRank[0] != placement.ThisProcess)
        {
            _ = Task.Run(async () =>
            {
                while (!File.Exists(marker)) await Task.Delay(20);
                if (kill) System.Diagnostics.Process.GetCurrentProcess().Kill();
                else await cancel.CancelAsync();
            });
        }

        var result = await TrainingLoop.RunAsync(Options(name) with { Steps = 100_000 }, new MarkerObserver(marker), cancel.Token, checkpointing: null, placement);
        return [$"cancelled {result.Cancelled} steps {result.StepsCompleted}"];
    }

    /// <summary>Steps of the throughput job not timed (first-use costs, allocator warm-up).</summary>
    public const int WarmupSteps = 3;

    /// <summary>
    /// The benchmark's d2 job (in one process when <paramref name="placement"/> is null): "tokens_per_s VALUE" over the
    /// steps after <see cref="WarmupSteps"/>, from the process that reports.
    /// </summary>
    public static IReadOnlyList<string> Throughput(ProcessPlacement? placement)
    {
        var options = new TrainingOptions(
            Layers: 4, Hidden: 64, Heads: 4, SequenceLength: 32, Vocabulary: 256, GlobalBatch: 16, MicroBatch: 2, Steps: WarmupSteps + 10,
            DataParallelSize: 2);
        var steps = new List<TrainingStep>();
        TrainingLoop.RunAsync(options, new StepList(steps), CancellationToken.None, checkpointing: null, placement).GetAwaiter().GetResult();
        var measured = steps.Skip(WarmupSteps).ToList();
        return measured.Count == 0 ? [] : [$"tokens_per_s {(measured.Sum(s => s.Tokens) / measured.Sum(s => s.StepSeconds)).ToString("R", CultureInfo.InvariantCulture)}"];
    }

    private sealed class StepList(List<TrainingStep> steps) : IStepObserver
    {
        public ValueTask OnStepAsync(TrainingStep step, CancellationToken ct)
        {
            steps.Add(step);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class MarkerObserver(string marker) : IStepObserver
    {
        public ValueTask OnStepAsync(TrainingStep step, CancellationToken ct)
        {
            if (step.Step == 2) File.WriteAllText(marker, "3 steps done");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class LineObserver(List<string> lines) : IStepObserver
    {
        public ValueTask OnStepAsync(TrainingStep step, CancellationToken ct)
        {
            lines.Add($"loss {step.Step} {step.Loss.ToString("R", CultureInfo.InvariantCulture)}");
            return ValueTask.CompletedTask;
        }
    }
}
