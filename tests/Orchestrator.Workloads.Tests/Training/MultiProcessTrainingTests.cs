using System.Globalization;
using Orchestrator.MultiProcess.TestHost;

namespace Orchestrator.Workloads.Tests.Training;

/// <summary>
/// Layouts split over real processes (one test host per simulated node, ranks talking through the Gloo communicator)
/// train like the same layout in one process: losses within 1e-5 and weights within 1e-4 after 3 optimizer steps.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class MultiProcessTrainingTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("orch-multiprocess-").FullName;

    [Theory]
    [InlineData("t2p2d2", "0,0,0,0,1,1,1,1")]
    [InlineData("d4", "0,1,2,3")]
    [InlineData("p4-interleaved", "0,1,2,3")]
    [InlineData("e2", "0,1")]
    [InlineData("zero1-d2", "0,1")]
    [InlineData("moe-t2-sp", "0,1")]
    public async Task A_layout_split_over_processes_trains_like_one_process(string scenario, string placement)
    {
        var processOfRank = placement.Split(',');
        var processes = processOfRank.Distinct().Count();
        var outcomes = ChildProcesses.Run(
            Enumerable.Range(0, processes).Select(p => (IReadOnlyList<string>)["train", scenario, root, $"{p}", placement, Output(p)]).ToList(),
            TimeSpan.FromMinutes(5),
            Enumerable.Range(0, processes).Select(p => SameThreadsPerRankAsOneProcess(processOfRank.Count(r => r == $"{p}"), processOfRank.Length)).ToList());
        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, $"process {o.Process} exited {o.ExitCode}: {o.Output}"));

        var reference = Parse(await TrainingScenarios.RunAsync(scenario, placement: null));
        var split = Parse(Enumerable.Range(0, processes).SelectMany(p => File.ReadAllLines(Output(p))).ToList());

        Assert.Equal(3, reference.Losses.Count);
        Assert.Equal(reference.Losses.Keys.Order(), split.Losses.Keys.Order());
        foreach (var (step, loss) in reference.Losses) Assert.True(Math.Abs(loss - split.Losses[step]) <= 1e-5, $"step {step}: loss {split.Losses[step]} against {loss}");
        Assert.Equal(reference.Weights.Keys.Order(), split.Weights.Keys.Order());
        foreach (var (name, values) in reference.Weights)
        {
            var other = split.Weights[name];
            Assert.Equal(values.Length, other.Length);
            var worst = values.Zip(other, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4, $"{name}: weights differ by up to {worst}");
        }
    }

    [Fact]
    public void When_one_process_dies_mid_run_the_other_fails_its_step_with_the_dead_peer_error_within_10_seconds()
    {
        var marker = Path.Combine(root, "three-steps-done");
        var outcomes = UntilAPeerStops(marker, "kill");

        var (survivor, killed) = (outcomes[0], outcomes[1]);
        Assert.True(killed.ExitCode == 137, $"process 1 exited {killed.ExitCode}: {killed.Output}");
        // Exit code 3: the test host caught CollectiveFailedException (not a hang ended by the guard, not another error).
        Assert.True(survivor.ExitCode == 3, $"process 0 exited {survivor.ExitCode}: {survivor.Output}");
        Assert.Contains("collective failed", survivor.Output, StringComparison.Ordinal);
        // Both children started together, so the difference of their lifetimes is how long the survivor outlived its peer.
        var outlived = survivor.Elapsed - killed.Elapsed;
        Assert.True(outlived < TimeSpan.FromSeconds(10), $"process 0 ran {outlived.TotalSeconds:F1} s after process 1 died");
    }

    [Fact]
    public void When_one_process_is_cancelled_mid_run_every_process_stops_cancelled_at_the_same_step()
    {
        var outcomes = UntilAPeerStops(Path.Combine(root, "three-steps-done"), "cancel");

        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, $"process {o.Process} exited {o.ExitCode}: {o.Output}"));
        var ends = Enumerable.Range(0, 2).Select(p => File.ReadAllText(Output(p)).Trim()).ToList();
        // Process 0 was never cancelled itself: it stops because the processes agreed on process 1's cancellation.
        Assert.StartsWith("cancelled True steps ", ends[0], StringComparison.Ordinal);
        Assert.Equal(ends[0], ends[1]);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>
    /// The training loop gives each rank thread <c>ProcessorCount / ranks in the process</c> intra-op threads, so a process
    /// holding one rank would use more threads than the one-process reference gives each of its ranks; MKL's GEMMs and
    /// LibTorch's reductions then sum in another order and the weights drift apart by more than rounding (1.65e-4 once,
    /// on a quiet machine). Giving each child the processor count that yields the reference's threads per rank makes
    /// both runs do the same arithmetic.
    /// </summary>
    private static IReadOnlyDictionary<string, string> SameThreadsPerRankAsOneProcess(int ranksInProcess, int ranks) => new Dictionary<string, string>
    {
        ["DOTNET_PROCESSOR_COUNT"] = $"{Math.Max(1, Environment.ProcessorCount / ranks) * ranksInProcess}",
    };

    private static (Dictionary<long, double> Losses, Dictionary<string, double[]> Weights) Parse(IReadOnlyList<string> lines)
    {
        var losses = new Dictionary<long, double>();
        var weights = new Dictionary<string, double[]>();
        foreach (var fields in lines.Select(l => l.Split(' ')))
        {
            if (fields[0] == "loss") losses.Add(long.Parse(fields[1], CultureInfo.InvariantCulture), double.Parse(fields[2], CultureInfo.InvariantCulture));
            else weights.Add($"{fields[1]} {fields[2]}", fields.Length < 4 || fields[3].Length == 0 ? [] : fields[3].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }

        return (losses, weights);
    }

    private IReadOnlyList<ChildProcesses.Outcome> UntilAPeerStops(string marker, string how) => ChildProcesses.Run(
        Enumerable.Range(0, 2).Select(p => (IReadOnlyList<string>)["train-until-a-peer-stops", "t2p2d2", root, $"{p}", "0,0,0,0,1,1,1,1", marker, how, Output(p)]).ToList(),
        TimeSpan.FromMinutes(5));

    private string Output(int process) => Path.Combine(root, $"out-{process}.txt");
}
