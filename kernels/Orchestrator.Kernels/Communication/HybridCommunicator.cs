using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// One member's view of a <see cref="HybridGroup"/>: the same contract as <see cref="InProcessCommunicator"/>, with
/// the group's members spread over processes. Each collective is: local members meet in shared memory, the local
/// leader makes one cross-process call (<see cref="CrossProcessCollectives"/>), every local member reads the result.
/// </summary>
internal sealed class HybridCommunicator(HybridGroup group, int member) : ICommunicator
{
    private readonly int localIndex = group.LocalIndexOf(member);

    public int Rank => member;

    public int Size => group.Size;

    public IReadOnlyList<int> GlobalRanks => group.GlobalRanks;

    public void AllReduce(Tensor tensor, ReduceOperation operation = ReduceOperation.Sum)
    {
        using var _ = no_grad();
        if (group.LocalMembers.Count == 1 && tensor.device_type == DeviceType.CPU && tensor.is_contiguous())
        {
            // The only member here: reduce in the tensor's own memory, with no staging copy (large gradient buckets).
            group.Alone(() =>
            {
                CrossProcessCollectives.AllReduce(group, tensor, operation);
                if (operation == ReduceOperation.Average) tensor.div_(Size);
            });
            return;
        }

        using var shared = TensorMemory.Shareable(tensor);
        group.Coordinate(localIndex, shared, nameof(AllReduce), local =>
        {
            // Local members first (in member order), then one reduction across processes; average at the end.
            var partial = CollectiveMath.Reduce(Tensors(local), operation == ReduceOperation.Max ? ReduceOperation.Max : ReduceOperation.Sum, CPU).contiguous();
            CrossProcessCollectives.AllReduce(group, partial, operation);
            return operation == ReduceOperation.Average ? partial.div_(Size) : partial;
        }, reduced => tensor.copy_(reduced));
    }

    public Tensor AllGather(Tensor tensor, long dimension)
    {
        using var _ = no_grad();
        using var shared = TensorMemory.Shareable(tensor);
        return group.Coordinate(localIndex, shared, nameof(AllGather), local => CrossProcessCollectives.GatherAll(group, Tensors(local)),
            all => CollectiveMath.Concatenate(all.All, dimension, tensor.device));
    }

    public Tensor ReduceScatter(Tensor tensor, long dimension, ReduceOperation operation = ReduceOperation.Sum)
    {
        CollectiveMath.RequireDivisible(tensor, dimension, Size);
        using var _ = no_grad();
        using var shared = TensorMemory.Shareable(tensor);
        return group.Coordinate(localIndex, shared, nameof(ReduceScatter), local =>
        {
            using var partial = CollectiveMath.Reduce(Tensors(local), operation == ReduceOperation.Max ? ReduceOperation.Max : ReduceOperation.Sum, CPU);
            var chunks = CrossProcessCollectives.ReduceScatter(group, partial, dimension, operation);
            return new Gathered(chunks, chunks);
        }, chunks =>
        {
            var mine = chunks.All[localIndex].to(tensor.device).clone();
            return operation == ReduceOperation.Average ? mine.div_(Size) : mine;
        });
    }

    public void Broadcast(Tensor tensor, int root)
    {
        CheckMember(root, nameof(root));
        using var _ = no_grad();
        using var shared = TensorMemory.Shareable(tensor);
        group.Coordinate(localIndex, shared, nameof(Broadcast), local =>
        {
            // The root's process sends its copy; every other process receives into a buffer of the same shape.
            var rootLocal = group.LocalIndexOf(root);
            var buffer = TensorMemory.HostCopy(rootLocal >= 0 ? (Tensor)local[rootLocal] : tensor);
            CrossProcessCollectives.Broadcast(group, buffer, root);
            return buffer;
        }, value =>
        {
            if (member != root) tensor.copy_(value);
            return true;
        });
    }

    public void Send(Tensor tensor, int destination, int tag = 0)
    {
        CheckMember(destination, nameof(destination));
        using var _ = no_grad();

        // The receiver (or the sending thread) owns the copy: it must not die with a dispose scope of this thread.
        var copy = TensorMemory.HostCopy(tensor);
        copy.DetachFromDisposeScope();
        if (group.IsLocal(destination)) group.PostLocal(member, destination, tag, copy);
        else group.PostRemote(member, destination, tag, copy);
    }

    public Tensor Receive(int source, int tag = 0, CancellationToken cancellationToken = default)
    {
        CheckMember(source, nameof(source));
        return group.IsLocal(source)
            ? group.TakeLocal(source, member, tag, cancellationToken)
            : group.TakeRemote(source, member, tag, cancellationToken);
    }

    public IReadOnlyList<Tensor> AllToAll(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count != Size)
        {
            throw new ArgumentException($"AllToAll needs one tensor per member ({Size}), got {inputs.Count}.", nameof(inputs));
        }

        using var _ = no_grad();
        var device = inputs[0].device;
        var shared = inputs.Select(TensorMemory.Shareable).ToList();
        try
        {
            return group.Coordinate(localIndex, shared, nameof(AllToAll), local =>
            {
                var received = CrossProcessCollectives.AllToAll(group, local.Cast<IReadOnlyList<Tensor>>().ToList());
                var all = received.SelectMany(r => r).ToList();
                return new Gathered(all, all);
            }, received => (IReadOnlyList<Tensor>)received.All.Skip(localIndex * Size).Take(Size).Select(t => t.to(device).clone()).ToList());
        }
        finally
        {
            shared.ForEach(t => t.Dispose());
        }
    }

    public void Barrier() => group.Coordinate(localIndex, member, nameof(Barrier), _ =>
    {
        group.Context.Barrier();
        return string.Empty;
    }, _ => true);

    private static List<Tensor> Tensors(IReadOnlyList<object> contributions) => contributions.Cast<Tensor>().ToList();

    private void CheckMember(int other, string name)
    {
        if (other < 0 || other >= Size)
        {
            throw new ArgumentOutOfRangeException(name, other, $"group {group.Name} has members 0..{Size - 1}.");
        }
    }
}
