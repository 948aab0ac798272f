using Orchestrator.Kernels.Communication.Gloo;
using Orchestrator.Kernels.Native;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// The ranks of a grid that one process (one node's worker) hosts, in a world spread over several processes. Groups
/// whose members are all here are plain shared-memory groups; a group that spans processes gets one Gloo context per
/// process it spans (rendezvous through <see cref="GlooRendezvous"/>) and a local leader that makes the cross-process
/// calls for the members here (see <see cref="HybridGroup"/>). Every process computes the same groups and joins the
/// ones it has members in, in the same global order, so rendezvous never waits in a cycle.
/// </summary>
public sealed class NetworkWorld : IRankWorld
{
    /// <summary>How long other local ranks get to notice a failure before their threads are abandoned.</summary>
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(5);

    private readonly InProcessWorldState state;
    private readonly Dictionary<int, ProcessGroups> ranks = [];
    private readonly List<HybridGroup> hybrids = [];
    private readonly GlooDevice device;
    private bool threadsAbandoned;

    /// <summary>Joins every group of <paramref name="grid"/> that has a member in this process.</summary>
    /// <param name="grid">The whole grid; validated.</param>
    /// <param name="processOfRank">The process (node index) hosting each world rank.</param>
    /// <param name="thisProcess">This process's index.</param>
    /// <param name="rendezvous">Where processes meet; its timeout bounds every blocking call.</param>
    /// <exception cref="ArgumentException">The placement does not cover the grid or hosts nothing here.</exception>
    /// <exception cref="CollectiveFailedException">Rendezvous failed (a peer never came, the store is unreachable).</exception>
    public NetworkWorld(ParallelGrid grid, IReadOnlyList<int> processOfRank, int thisProcess, GlooRendezvous rendezvous)
    {
        Grid = grid.Validate();
        rendezvous.Validate();
        if (processOfRank.Count != grid.WorldSize)
        {
            throw new ArgumentException($"processOfRank must name a process for each of the {grid.WorldSize} world ranks, got {processOfRank.Count}.", nameof(processOfRank));
        }

        LocalRanks = Enumerable.Range(0, grid.WorldSize).Where(r => processOfRank[r] == thisProcess).ToList();
        if (LocalRanks.Count == 0)
        {
            throw new ArgumentException($"Process {thisProcess} hosts none of the {grid.WorldSize} ranks.", nameof(thisProcess));
        }

        TorchRuntime.EnsureLoaded();
        Directory.CreateDirectory(rendezvous.StoreDirectory);
        state = new InProcessWorldState(rendezvous.Timeout);
        device = GlooDevice.Create(rendezvous.Address);
        var kinds = GridGroups.Of(grid);
        var byRank = LocalRanks.ToDictionary(r => r, _ => new ICommunicator[GridGroups.Kinds.Count]);
        for (var k = 0; k < kinds.Count; k++)
        {
            foreach (var members in kinds[k].Distinct().OrderBy(m => m[0]))
            {
                if (!members.Any(byRank.ContainsKey)) continue;
                var name = GridGroups.NameOf(GridGroups.Kinds[k], members);
                var processes = members.Select(r => processOfRank[r]).ToList();
                if (processes.All(p => p == thisProcess))
                {
                    var local = new InProcessGroup(name, members, state);
                    for (var i = 0; i < members.Count; i++) byRank[members[i]][k] = new InProcessCommunicator(local, i);
                    continue;
                }

                var spanned = processes.Distinct().Order().ToList();
                var context = GlooContext.Connect(device, rendezvous, name, spanned.IndexOf(thisProcess), spanned.Count, p =>
                    $"process {spanned[p]} (world ranks {string.Join(",", members.Where(r => processOfRank[r] == spanned[p]))})");
                var hybrid = new HybridGroup(name, members, processes, thisProcess, state, context);
                hybrids.Add(hybrid);
                foreach (var m in hybrid.LocalMembers) byRank[members[m]][k] = new HybridCommunicator(hybrid, m);
            }
        }

        foreach (var (rank, communicators) in byRank) ranks[rank] = GridGroups.Assemble(grid, rank, communicators);
    }

    /// <inheritdoc />
    public ParallelGrid Grid { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> LocalRanks { get; }

    /// <inheritdoc />
    public ProcessGroups GroupsOf(int rank) => ranks.TryGetValue(rank, out var groups)
        ? groups
        : throw new ArgumentOutOfRangeException(nameof(rank), rank, $"world rank {rank} is not hosted by this process (hosts {string.Join(",", LocalRanks)}).");

    /// <inheritdoc />
    public T[] Run<T>(Func<ProcessGroups, T> body)
    {
        var results = new T[Grid.WorldSize];
        try
        {
            threadsAbandoned |= !RankThreads.Run(LocalRanks.Select(r => ranks[r]).ToList(), state, results, body, AbandonAfter);
        }
        catch
        {
            threadsAbandoned |= state.Aborted.IsCancellationRequested && hybrids.Count > 0;
            throw;
        }

        return results;
    }

    /// <summary>The Gloo context of the world group (null when this process hosts every rank): the benchmark's native baseline.</summary>
    internal GlooContext? WorldContext => hybrids.FirstOrDefault(h => h.Name.StartsWith("world[", StringComparison.Ordinal))?.Context;

    /// <summary>
    /// Ends cross-process traffic once the messages already sent have left (a rank may return right after a send, which
    /// is asynchronous); peers blocked on this process fail at once.
    /// </summary>
    public void Dispose()
    {
        // Every group's sender threads end before any context is freed: a thread still holding queued messages would
        // call into a freed context (this crashed the process that sent last and left at once).
        var sendersEnded = true;
        foreach (var hybrid in hybrids) sendersEnded &= hybrid.Close(AbandonAfter);

        // A thread abandoned inside a native call still uses its context: leave the memory to the dying process.
        if (threadsAbandoned || !sendersEnded) return;
        foreach (var hybrid in hybrids) hybrid.Context.Dispose();
        device.Dispose();
    }
}
