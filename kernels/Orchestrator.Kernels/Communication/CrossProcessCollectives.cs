using System.Runtime.InteropServices;
using Orchestrator.Kernels.Communication.Gloo;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// What a <see cref="HybridGroup"/>'s local leader does across processes, on contiguous CPU tensors: one Gloo call per
/// collective for the whole process (plus a small header exchange where receivers must learn sizes first).
/// </summary>
internal static class CrossProcessCollectives
{
    /// <summary>Reduces every process's <paramref name="partial"/> (already reduced over its local members) in place.</summary>
    public static void AllReduce(HybridGroup group, Tensor partial, ReduceOperation operation)
    {
        if (partial.numel() == 0) return;
        var maximum = operation == ReduceOperation.Max;
        if (GlooTypeOf(partial.dtype) is { } type)
        {
            group.Context.AllReduce(TensorMemory.Address(partial), partial.numel(), type, maximum);
            return;
        }

        // Types Gloo's reductions lack (half precision, bool): gather the partials and reduce in process order.
        using var all = GatherProcesses(group, partial);
        using var reduced = CollectiveMath.Reduce(all.Owned, maximum ? ReduceOperation.Max : ReduceOperation.Sum, CPU);
        partial.copy_(reduced);
    }

    /// <summary>Every member's contribution in group order; <paramref name="local"/> are this process's members' (in local order).</summary>
    public static Gathered GatherAll(HybridGroup group, IReadOnlyList<Tensor> local)
    {
        var headers = ExchangeHeaders(group, local.Select(t => new[] { t }).ToList());
        var bytesPerProcess = group.MembersOfProcess.Select(members => members.Sum(m => TensorHeader.BytesOf(headers[m][0]))).ToArray();
        var input = Pack(local);
        var output = Buffer(bytesPerProcess.Sum());
        if (bytesPerProcess.Sum() > 0)
        {
            group.Context.AllGatherV(Address(input), Address(output), bytesPerProcess);
            GC.KeepAlive(input); // only its address reached native code: keep the pinned array alive through the call
        }

        var all = new Tensor[group.Size];
        long offset = 0;
        foreach (var member in group.MembersOfProcess.SelectMany(m => m))
        {
            var size = TensorHeader.BytesOf(headers[member][0]);
            all[member] = TensorHeader.Materialize(headers[member][0], output.AsSpan((int)offset, (int)size));
            offset += size;
        }

        return new Gathered(all, all);
    }

    /// <summary>Overwrites <paramref name="buffer"/> in every process with the copy held by the process of <paramref name="rootMember"/>.</summary>
    public static void Broadcast(HybridGroup group, Tensor buffer, int rootMember)
    {
        if (buffer.numel() == 0) return;
        group.Context.Broadcast(TensorMemory.Address(buffer), buffer.numel() * buffer.element_size(), group.ProcessRankOfMember[rootMember]);
    }

    /// <summary>
    /// <paramref name="inputs"/>[local member][destination member] → for each local member, what each member sent it,
    /// in group order. One all-to-all-v moves every process's messages for each other process in one piece.
    /// </summary>
    public static Tensor[][] AllToAll(HybridGroup group, IReadOnlyList<IReadOnlyList<Tensor>> inputs)
    {
        var headers = ExchangeHeaders(group, inputs);
        var local = group.LocalMembers;
        long Bytes(int source, int destination) => TensorHeader.BytesOf(headers[source][destination]);

        // Send buffer: for each process, for each local source, for each of that process's members.
        var outgoing = group.MembersOfProcess.Select(members => local.Select((_, i) => members.Select(d => inputs[i][d])).SelectMany(t => t).ToList()).ToList();
        var inputBytes = group.MembersOfProcess.Select(members => local.Sum(s => members.Sum(d => Bytes(s, d)))).ToArray();
        var outputBytes = group.MembersOfProcess.Select(members => members.Sum(s => local.Sum(d => Bytes(s, d)))).ToArray();
        var input = Pack(outgoing.SelectMany(t => t).ToList());
        var output = Buffer(outputBytes.Sum());
        if (inputBytes.Sum() + outputBytes.Sum() > 0)
        {
            group.Context.AllToAllV(Address(input), inputBytes, Address(output), outputBytes);
            GC.KeepAlive(input); // only its address reached native code: keep the pinned array alive through the call
        }

        var results = local.Select(_ => new Tensor[group.Size]).ToArray();
        long offset = 0;
        foreach (var source in group.MembersOfProcess.SelectMany(m => m))
        {
            for (var d = 0; d < local.Count; d++)
            {
                var size = Bytes(source, local[d]);
                results[d][source] = TensorHeader.Materialize(headers[source][local[d]], output.AsSpan((int)offset, (int)size));
                offset += size;
            }
        }

        return results;
    }

    /// <summary>
    /// Each local member's chunk (along <paramref name="dimension"/>) of the reduction of every process's
    /// <paramref name="partial"/>: chunks travel only to the process whose member owns them, and are combined in
    /// process order.
    /// </summary>
    public static Tensor[] ReduceScatter(HybridGroup group, Tensor partial, long dimension, ReduceOperation operation)
    {
        var part = partial.shape[dimension] / group.Size;
        var chunks = Enumerable.Range(0, group.Size).Select(m => partial.narrow(dimension, m * part, part).contiguous()).ToList();
        var chunkBytes = chunks[0].numel() * chunks[0].element_size();
        var local = group.LocalMembers;
        var input = Pack(group.MembersOfProcess.SelectMany(members => members.Select(m => chunks[m])).ToList());
        var inputBytes = group.MembersOfProcess.Select(members => members.Count * chunkBytes).ToArray();
        var outputBytes = group.MembersOfProcess.Select(_ => local.Count * chunkBytes).ToArray();
        var output = Buffer(outputBytes.Sum());
        if (chunkBytes > 0)
        {
            group.Context.AllToAllV(Address(input), inputBytes, Address(output), outputBytes);
            GC.KeepAlive(input); // only its address reached native code: keep the pinned array alive through the call
        }

        chunks.ForEach(c => c.Dispose());
        var header = new long[TensorHeader.Length];
        using (var shape = partial.narrow(dimension, 0, part)) TensorHeader.Write(shape, header);
        return local.Select((_, d) =>
        {
            var fromProcesses = Enumerable.Range(0, group.Processes.Count)
                .Select(p => TensorHeader.Materialize(header, output.AsSpan((int)(((p * local.Count) + d) * chunkBytes), (int)chunkBytes))).ToList();
            var reduced = CollectiveMath.Reduce(fromProcesses, operation == ReduceOperation.Max ? ReduceOperation.Max : ReduceOperation.Sum, CPU);
            fromProcesses.ForEach(t => t.Dispose());
            return reduced;
        }).ToArray();
    }

    private static GlooDataType? GlooTypeOf(ScalarType type) => type switch
    {
        ScalarType.Float32 => GlooDataType.Float32,
        ScalarType.Float64 => GlooDataType.Float64,
        ScalarType.Int32 => GlooDataType.Int32,
        ScalarType.Int64 => GlooDataType.Int64,
        ScalarType.Byte => GlooDataType.UInt8,
        ScalarType.Int8 => GlooDataType.Int8,
        _ => null,
    };

    /// <summary>Each process's one tensor, by Gloo rank.</summary>
    private static Gathered GatherProcesses(HybridGroup group, Tensor mine)
    {
        var bytes = mine.numel() * mine.element_size();
        var output = Buffer(bytes * group.Processes.Count);
        var input = Pack([mine]);
        group.Context.AllGatherV(Address(input), Address(output), group.Processes.Select(_ => bytes).ToArray());
        GC.KeepAlive(input); // only its address reached native code: keep the pinned array alive through the call
        var header = new long[TensorHeader.Length];
        TensorHeader.Write(mine, header);
        var all = group.Processes.Select((_, p) => TensorHeader.Materialize(header, output.AsSpan((int)(p * bytes), (int)bytes))).ToList();
        return new Gathered(all, all);
    }

    /// <summary>Every member's headers for its <paramref name="local"/> tensors (one per local member, same count each), by group member.</summary>
    private static long[][][] ExchangeHeaders(HybridGroup group, IReadOnlyList<IReadOnlyList<Tensor>> local)
    {
        var perMember = local[0].Count;
        var width = perMember * TensorHeader.Length;
        var mine = new long[local.Count * width];
        for (var i = 0; i < local.Count; i++)
        {
            for (var j = 0; j < perMember; j++) TensorHeader.Write(local[i][j], mine.AsSpan((i * width) + (j * TensorHeader.Length), TensorHeader.Length));
        }

        var all = new long[group.Size * width];
        var input = GCHandle.Alloc(mine, GCHandleType.Pinned);
        var output = GCHandle.Alloc(all, GCHandleType.Pinned);
        try
        {
            group.Context.AllGatherV(input.AddrOfPinnedObject(), output.AddrOfPinnedObject(), group.MembersOfProcess.Select(m => (long)m.Count * width * sizeof(long)).ToArray());
        }
        finally
        {
            input.Free();
            output.Free();
        }

        var headers = new long[group.Size][][];
        var at = 0;
        foreach (var member in group.MembersOfProcess.SelectMany(m => m))
        {
            headers[member] = Enumerable.Range(0, perMember).Select(j => all.AsSpan(at + (j * TensorHeader.Length), TensorHeader.Length).ToArray()).ToArray();
            at += width;
        }

        return headers;
    }

    private static byte[] Pack(IReadOnlyList<Tensor> tensors)
    {
        var buffer = Buffer(tensors.Sum(t => t.numel() * t.element_size()));
        var offset = 0;
        foreach (var tensor in tensors)
        {
            using var host = tensor.detach().to(CPU).contiguous();
            host.bytes.CopyTo(buffer.AsSpan(offset));
            offset += host.bytes.Length;
        }

        return buffer;
    }

    // Pinned so that the native side may hold the address; at least one byte so that the address is valid.
    private static byte[] Buffer(long bytes) => GC.AllocateUninitializedArray<byte>((int)Math.Max(1, bytes), pinned: true);

    private static IntPtr Address(byte[] pinned) => Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
}
