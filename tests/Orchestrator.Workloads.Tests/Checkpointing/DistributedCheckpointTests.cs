using System.Globalization;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.MultiProcess.TestHost;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// A t2·p2·d2 run split over two real processes (one pipeline stage each) checkpoints: each process writes its own
/// stage's shards, the process hosting rank 0 commits one manifest, and that checkpoint restores into one process
/// under t2·p1·d1 and continues with the losses of the same run never interrupted.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class DistributedCheckpointTests : IDisposable
{
    private const string Scenario = "t2p2d2";
    private const int SavedAt = 2;
    private const int Steps = 4;
    private readonly string root = Directory.CreateTempSubdirectory("orch-distributed-checkpoint-").FullName;

    [Fact]
    public async Task A_checkpoint_written_by_two_processes_restores_into_one_process_under_another_layout_and_continues_equal()
    {
        var checkpoints = Path.Combine(root, "checkpoints");
        SaveSplit(checkpoints, SavedAt, every: 1000, "open");

        var store = new CheckpointStore(new CheckpointStoreOptions { Root = checkpoints });
        var id = Assert.Single(store.List(TrainingScenarios.CheckpointJob));
        Assert.Equal(new CheckpointId(TrainingScenarios.CheckpointJob, SavedAt, 1), id);
        var manifest = await store.LoadManifestAsync(id, CancellationToken.None);
        await store.VerifyAsync(manifest, CancellationToken.None);
        // Both processes' shards (ranks 0-3 on process 0, 4-7 on process 1; data rank 0 saves) are in the one
        // manifest, and the parts it was merged from are gone.
        Assert.Equal([0, 1, 4, 5], manifest.Tensors.SelectMany(t => t.Shards).Select(s => s.OwningRank).Distinct().Order());
        Assert.Empty(PartsLeft(checkpoints));

        var uninterrupted = await TrainingLoop.RunAsync(TrainingScenarios.Options(Scenario) with { Steps = Steps }, new RecordingObserver(), CancellationToken.None);
        var splitLosses = Enumerable.Range(0, 2).SelectMany(p => File.ReadAllLines(Output(p))).Select(l => double.Parse(l.Split(' ')[2], CultureInfo.InvariantCulture)).ToList();
        LossAssert.Close(uninterrupted.Losses.Take(SavedAt), splitLosses, 1e-5);

        var observer = new RecordingCheckpointObserver();
        var resumed = await TrainingLoop.RunAsync(
            TrainingScenarios.Options(Scenario) with { Steps = Steps, TensorParallelSize = 2, PipelineParallelSize = 1, DataParallelSize = 1 },
            new RecordingObserver(), CancellationToken.None,
            new TrainingCheckpointing(store, TrainingScenarios.CheckpointJob, 2, CheckpointInterval.EverySteps(1000)) { Observer = observer });

        Assert.Equal(id, Assert.Single(observer.Restored).Checkpoint);
        Assert.Equal(Steps - SavedAt, resumed.StepsCompleted);
        LossAssert.Close(uninterrupted.Losses.Skip(SavedAt), resumed.Losses, 1e-5);
    }

    [Fact]
    public void A_split_run_whose_commits_are_fenced_stops_saving_on_every_process_and_finishes()
    {
        var checkpoints = Path.Combine(root, "checkpoints");

        // Saves are due at steps 2 and 4 and after step 6; the coordinator learns of the refusal while the others train
        // on, and every process must agree to save no more (a save is a collective: a disagreement would hang).
        SaveSplit(checkpoints, steps: 6, every: 2, "refuse");

        Assert.Empty(new CheckpointStore(new CheckpointStoreOptions { Root = checkpoints }).List(TrainingScenarios.CheckpointJob));
        Assert.Empty(PartsLeft(checkpoints));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void SaveSplit(string checkpoints, int steps, int every, string fence)
    {
        var outcomes = ChildProcesses.Run(
            Enumerable.Range(0, 2).Select(p => (IReadOnlyList<string>)["save", Scenario, Path.Combine(root, "rendezvous"), $"{p}", "0,0,0,0,1,1,1,1", checkpoints, $"{steps}", $"{every}", fence, Output(p)]).ToList(),
            TimeSpan.FromMinutes(5));
        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, $"process {o.Process} exited {o.ExitCode}: {o.Output}"));
    }

    private static IEnumerable<string> PartsLeft(string checkpoints)
    {
        var parts = Path.Combine(checkpoints, "jobs", TrainingScenarios.CheckpointJob, "parts");
        return Directory.Exists(parts) ? Directory.EnumerateFiles(parts, "*", SearchOption.AllDirectories) : [];
    }

    private string Output(int process) => Path.Combine(root, $"out-{process}.txt");
}
