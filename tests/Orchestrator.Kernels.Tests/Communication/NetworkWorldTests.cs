using Orchestrator.Kernels.Communication;
using Orchestrator.MultiProcess.TestHost;

namespace Orchestrator.Kernels.Tests.Communication;

/// <summary>
/// The Gloo-backed communicator across real processes (the test host, one process per simulated node) against the
/// same program run by the in-process communicator.
/// </summary>
public sealed class NetworkWorldTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);
    private readonly string root = Directory.CreateTempSubdirectory("orch-network-").FullName;

    [Theory]
    // Two nodes of two ranks (tensor groups local, data groups across); ranks interleaved over nodes; three nodes,
    // one tensor group split over two of them.
    [InlineData(7, "0,0,1,1", 2)]
    [InlineData(11, "0,1,0,1", 1)]
    [InlineData(5, "0,1,2,2", 2)]
    public void Random_collectives_across_processes_equal_the_one_process_reference(int seed, string placement, int tensor)
    {
        var processOfRank = placement.Split(',').Select(int.Parse).ToArray();
        var processes = processOfRank.Distinct().Count();
        var outcomes = ChildProcesses.Run(
            Enumerable.Range(0, processes).Select(p => (IReadOnlyList<string>)["collectives", $"{seed}", root, $"{p}", placement, $"{tensor}", Output(p)]).ToList(),
            HangGuard);
        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, $"process {o.Process} exited {o.ExitCode}: {o.Output}"));

        var grid = new ParallelGrid(TensorParallelSize: tensor, DataParallelSize: processOfRank.Length / tensor);
        var reference = CollectiveScript.Run(new InProcessWorld(grid), seed);
        var measured = Enumerable.Range(0, processes).SelectMany(p => File.ReadAllLines(Output(p))).ToList();
        Assert.Equal(reference.Order(StringComparer.Ordinal), measured.Order(StringComparer.Ordinal));
        // The program covers every operation, empty tensors and every element type.
        Assert.Contains(reference, l => l.Contains(" [0,3] ", StringComparison.Ordinal));
        Assert.All(new[] { "Float32", "Float64", "Int32", "Int64" }, t => Assert.Contains(reference, l => l.Contains(t, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_dead_peer_ends_the_collective_with_an_error_naming_its_ranks()
    {
        var outcomes = ChildProcesses.Run(
            [["die", root, "0", "0,0,1,1", "5"], ["die", root, "1", "0,0,1,1", "5"]],
            HangGuard);

        Assert.Equal(137, outcomes[1].ExitCode);
        var survivor = outcomes[0];
        Assert.True(survivor.ExitCode == 3, $"exit {survivor.ExitCode}: {survivor.Output}");
        // The survivor heard of the death from the closed connection (its timeout is 5 minutes, the hang guard 3).
        Assert.Contains("process 1 (world ranks 2,3)", survivor.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Timed out", survivor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_sent_just_before_the_sender_leaves_all_arrive()
    {
        // Process 0 posts its sends and disposes its world at once: sends are asynchronous (a thread per stream hands
        // them to Gloo one at a time, each only when the receiver takes it), so most are still queued at that moment.
        const int Messages = 64;
        var outcomes = ChildProcesses.Run(
            Enumerable.Range(0, 2).Select(p => (IReadOnlyList<string>)["send-and-leave", root, $"{p}", $"{Messages}", Output(p)]).ToList(),
            HangGuard);

        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, $"process {o.Process} exited {o.ExitCode}: {o.Output}"));
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"256 {i} {i}"), File.ReadAllLines(Output(1)));
    }

    [Fact]
    public void A_placement_that_leaves_this_process_without_ranks_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkWorld(
            new ParallelGrid(DataParallelSize: 2), [0, 0], 1, Orchestrator.Kernels.Communication.Gloo.GlooRendezvous.ForAttempt(root, "job", 1, "127.0.0.1", TimeSpan.FromSeconds(5))));
        Assert.Contains("hosts none", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Output(int process) => Path.Combine(root, $"out-{process}.txt");
}
