using Orchestrator.Kernels.Communication.Gloo;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// A group whose members live in several processes. Members in this process meet in shared memory; one of them, the
/// local leader, then makes the one cross-process call for all of them on the group's Gloo context (one context per
/// group and process, ranked by the processes' order), and every local member reads the result. So each process
/// sends its members' data once, and local members never touch the network.
/// </summary>
internal sealed class HybridGroup
{
    private readonly InProcessGroup local;
    private readonly InProcessWorldState world;
    private readonly object?[] slots;
    private readonly PointToPointSender sender;
    private object? shared;
    private Exception? failure;

    /// <param name="name">Group name, e.g. data[0,2,4,6].</param>
    /// <param name="globalRanks">Members' world ranks, in group order.</param>
    /// <param name="processOfMember">Each member's process index (node), in group order.</param>
    /// <param name="thisProcess">This process's index.</param>
    public HybridGroup(string name, IReadOnlyList<int> globalRanks, IReadOnlyList<int> processOfMember, int thisProcess, InProcessWorldState world, GlooContext context)
    {
        Name = name;
        GlobalRanks = globalRanks;
        this.world = world;
        Context = context;
        var processes = processOfMember.Distinct().Order().ToList();
        Processes = processes;
        MembersOfProcess = processes.Select(p => Enumerable.Range(0, globalRanks.Count).Where(m => processOfMember[m] == p).ToList()).ToList();
        ProcessRankOfMember = processOfMember.Select(p => processes.IndexOf(p)).ToList();
        LocalMembers = MembersOfProcess[processes.IndexOf(thisProcess)];
        local = new InProcessGroup($"{name} (process {thisProcess})", LocalMembers.Select(m => globalRanks[m]).ToList(), world);
        slots = new object?[LocalMembers.Count];
        sender = new PointToPointSender(context, world);
    }

    public string Name { get; }

    public IReadOnlyList<int> GlobalRanks { get; }

    public int Size => GlobalRanks.Count;

    public GlooContext Context { get; }

    /// <summary>Process indices spanned, ascending; a process's Gloo rank is its position here.</summary>
    public IReadOnlyList<int> Processes { get; }

    /// <summary>Group members of each process, by Gloo rank, ascending.</summary>
    public IReadOnlyList<IReadOnlyList<int>> MembersOfProcess { get; }

    /// <summary>Gloo rank of each member's process.</summary>
    public IReadOnlyList<int> ProcessRankOfMember { get; }

    /// <summary>Group members hosted here, ascending.</summary>
    public IReadOnlyList<int> LocalMembers { get; }

    public int LocalIndexOf(int member) => ((List<int>)LocalMembers).IndexOf(member);

    public bool IsLocal(int member) => LocalIndexOf(member) >= 0;

    /// <summary>
    /// Every local member deposits <paramref name="contribution"/>; the leader runs <paramref name="leader"/> on all local
    /// deposits (in local order) once; every member then runs <paramref name="each"/> on its result, and only after all
    /// have, the leader's result is released. A leader failure is every local member's failure and aborts the world.
    /// </summary>
    public TOut Coordinate<TShared, TOut>(int localIndex, object contribution, string operation, Func<IReadOnlyList<object>, TShared> leader, Func<TShared, TOut> each)
        where TShared : class
    {
        slots[localIndex] = contribution;
        local.Meet(operation);
        if (localIndex == 0)
        {
            try
            {
                shared = leader(slots!);
            }
            catch (Exception e)
            {
                // The other local members are woken from the next meeting by the abort, with this as the cause.
                failure = e;
                world.Abort(e);
                slots[localIndex] = null;
                throw;
            }
        }

        local.Meet(operation);
        try
        {
            if (failure is { } error)
            {
                throw localIndex == 0 ? error : new CollectiveFailedException(error.Message, error);
            }

            return each((TShared)shared!);
        }
        finally
        {
            // Nobody may release or overwrite the result until every member has read it.
            local.Meet(operation);
            slots[localIndex] = null;
            if (localIndex == 0)
            {
                Release(shared);
                shared = null;
                failure = null;
            }
        }
    }

    /// <summary>Runs a cross-process call of the group's only local member; a failure aborts the world like a leader's.</summary>
    public void Alone(Action work)
    {
        try
        {
            work();
        }
        catch (Exception e)
        {
            world.Abort(e);
            throw;
        }
    }

    public void PostLocal(int source, int destination, int tag, Tensor message) => local.Post(source, destination, tag, message);

    public Tensor TakeLocal(int source, int destination, int tag, CancellationToken cancellationToken) =>
        local.Take(source, destination, tag, cancellationToken);

    /// <summary>Queues <paramref name="message"/> (owned by the sender from here on) for a member in another process.</summary>
    public void PostRemote(int source, int destination, int tag, Tensor message) =>
        sender.Post(ProcessRankOfMember[destination], Slot(source, destination, tag), message);

    /// <summary>Waits for the next message from a member in another process.</summary>
    public Tensor TakeRemote(int source, int destination, int tag, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(world.Aborted, cancellationToken);
        try
        {
            return PointToPointSender.Receive(Context, ProcessRankOfMember[source], Slot(source, destination, tag), either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && world.Aborted.IsCancellationRequested)
        {
            throw world.AbortException(Name, $"Receive from member {source}");
        }
        catch (CollectiveFailedException e)
        {
            world.Abort(e);
            throw;
        }
    }

    /// <summary>Names the world ranks a Gloo rank (process) of this group holds, for error messages.</summary>
    public string DescribeProcess(int processRank) =>
        $"process {Processes[processRank]} (world ranks {string.Join(",", MembersOfProcess[processRank].Select(m => GlobalRanks[m]))})";

    /// <summary>Delivers the sends posted so far and ends their threads (see <see cref="PointToPointSender.Close"/>).</summary>
    /// <returns>False when a sender thread is still inside a native call on <see cref="Context"/>, which must then stay.</returns>
    public bool Close(TimeSpan abortedGrace) => sender.Close(abortedGrace);

    // Slot per (source, destination, tag): messages of one pair and tag arrive in order, others never mix.
    private static ulong Slot(int source, int destination, int tag) =>
        ((ulong)(uint)source << 36) | ((ulong)(uint)destination << 16) | (ushort)tag;

    private static void Release(object? result)
    {
        switch (result)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IEnumerable<IDisposable> many:
                foreach (var item in many) item.Dispose();
                break;
        }
    }
}
