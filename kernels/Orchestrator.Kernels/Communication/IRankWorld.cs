namespace Orchestrator.Kernels.Communication;

/// <summary>
/// The ranks of a grid that this process hosts, each on its own thread, with communicators for every group they belong
/// to. <see cref="InProcessWorld"/> hosts all ranks; <see cref="NetworkWorld"/> hosts one node's ranks and reaches the
/// others across processes.
/// </summary>
public interface IRankWorld : IDisposable
{
    /// <summary>The whole grid (all processes).</summary>
    ParallelGrid Grid { get; }

    /// <summary>World ranks hosted by this process, ascending.</summary>
    IReadOnlyList<int> LocalRanks { get; }

    /// <summary>The groups of local world rank <paramref name="rank"/>.</summary>
    ProcessGroups GroupsOf(int rank);

    /// <summary>
    /// Runs <paramref name="body"/> for every local rank on its own thread; results are indexed by world rank (entries of
    /// other processes' ranks stay default). If a rank throws, the others are woken and the first failure is rethrown.
    /// </summary>
    T[] Run<T>(Func<ProcessGroups, T> body);
}
