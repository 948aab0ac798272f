using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>One member's view of an <see cref="InProcessGroup"/>.</summary>
internal sealed class InProcessCommunicator(InProcessGroup group, int member) : ICommunicator
{
    public int Rank => member;

    public int Size => group.Size;

    public IReadOnlyList<int> GlobalRanks => group.GlobalRanks;

    public void AllReduce(Tensor tensor, ReduceOperation operation = ReduceOperation.Sum)
    {
        if (Size == 1)
        {
            return;
        }

        using var _ = no_grad();
        using var shared = TensorMemory.Shareable(tensor);
        using var reduced = group.Exchange(member, shared, nameof(AllReduce), all => CollectiveMath.Reduce(Tensors(all), operation, tensor.device));
        tensor.copy_(reduced);
    }

    public Tensor AllGather(Tensor tensor, long dimension)
    {
        using var _ = no_grad();
        if (Size == 1)
        {
            // A new tensor, as with more members: callers may change the input afterwards.
            return tensor.clone();
        }

        using var shared = TensorMemory.Shareable(tensor);
        return group.Exchange(member, shared, nameof(AllGather), all => CollectiveMath.Concatenate(Tensors(all), dimension, tensor.device));
    }

    public Tensor ReduceScatter(Tensor tensor, long dimension, ReduceOperation operation = ReduceOperation.Sum)
    {
        CollectiveMath.RequireDivisible(tensor, dimension, Size);
        using var _ = no_grad();

        // Reduce only this member's part: each member reads its own chunk of every contribution.
        using var shared = TensorMemory.Shareable(tensor);
        return group.Exchange(member, shared, nameof(ReduceScatter), all => CollectiveMath.ReduceChunk(Tensors(all), member, dimension, operation, tensor.device));
    }

    public void Broadcast(Tensor tensor, int root)
    {
        CheckMember(root, nameof(root));
        if (Size == 1)
        {
            return;
        }

        using var _ = no_grad();
        using var shared = TensorMemory.Shareable(tensor);
        using var value = group.Exchange(member, shared, nameof(Broadcast), all => ((Tensor)all[root]).to(tensor.device).clone());
        if (member != root)
        {
            tensor.copy_(value);
        }
    }

    public void Send(Tensor tensor, int destination, int tag = 0)
    {
        CheckMember(destination, nameof(destination));
        using var _ = no_grad();

        // The receiver owns the copy: it must not die with a dispose scope of the sending thread.
        var copy = tensor.detach().clone();
        copy.DetachFromDisposeScope();
        group.Post(member, destination, tag, copy);
    }

    public Tensor Receive(int source, int tag = 0, CancellationToken cancellationToken = default)
    {
        CheckMember(source, nameof(source));
        return group.Take(source, member, tag, cancellationToken);
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
            return group.Exchange(member, shared, nameof(AllToAll), all =>
                all.Select(sent => ((IReadOnlyList<Tensor>)sent)[member].to(device).clone()).ToList());
        }
        finally
        {
            shared.ForEach(t => t.Dispose());
        }
    }

    public void Barrier() => group.Exchange(member, member, nameof(Barrier), _ => 0);

    private static List<Tensor> Tensors(IReadOnlyList<object> contributions) => contributions.Cast<Tensor>().ToList();

    private void CheckMember(int other, string name)
    {
        if (other < 0 || other >= Size)
        {
            throw new ArgumentOutOfRangeException(name, other, $"group {group.Name} has members 0..{Size - 1}.");
        }
    }
}
