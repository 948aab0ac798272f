using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// One rank's handle on one process group. Collectives must be called by every member of the group in the same order
/// (as with NCCL); they block until the group has met. Ranks are indices within the group, 0..Size-1, in the order of
/// <see cref="GlobalRanks"/>. The in-process transport implements it with threads sharing memory; a multi-process
/// transport (TCP, NCCL) can implement the same contract without changing the layers that use it.
/// </summary>
public interface ICommunicator
{
    /// <summary>This member's index in the group.</summary>
    int Rank { get; }

    /// <summary>Members in the group.</summary>
    int Size { get; }

    /// <summary>World ranks of the members, in group order.</summary>
    IReadOnlyList<int> GlobalRanks { get; }

    /// <summary>Combines <paramref name="tensor"/> across the group and writes the result into it, on every member.</summary>
    void AllReduce(Tensor tensor, ReduceOperation operation = ReduceOperation.Sum);

    /// <summary>Concatenates every member's tensor along <paramref name="dimension"/>, in rank order.</summary>
    Tensor AllGather(Tensor tensor, long dimension);

    /// <summary>Combines the members' tensors, splits the result evenly along <paramref name="dimension"/>, returns this member's part.</summary>
    Tensor ReduceScatter(Tensor tensor, long dimension, ReduceOperation operation = ReduceOperation.Sum);

    /// <summary>Overwrites <paramref name="tensor"/> on every member with the root member's values.</summary>
    void Broadcast(Tensor tensor, int root);

    /// <summary>Delivers a copy of <paramref name="tensor"/> to member <paramref name="destination"/>; does not wait for the receive.</summary>
    void Send(Tensor tensor, int destination, int tag = 0);

    /// <summary>Waits for the next tensor sent by member <paramref name="source"/> with <paramref name="tag"/>; the caller owns it.</summary>
    Tensor Receive(int source, int tag = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <c>inputs[j]</c> to member j and returns what each member sent here (<c>result[i]</c> from member i).
    /// Sizes may differ per pair (uneven splits); only the trailing dimensions and the element type must agree.
    /// </summary>
    IReadOnlyList<Tensor> AllToAll(IReadOnlyList<Tensor> inputs);

    /// <summary>Returns once every member has called it.</summary>
    void Barrier();
}
