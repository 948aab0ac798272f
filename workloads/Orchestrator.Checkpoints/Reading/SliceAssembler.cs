using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Reading;

/// <summary>
/// Assembles any box of a tensor from the shards that overlap it, whatever layout saved them: for each overlapping
/// shard it copies the intersection run by run, where a run is the longest span contiguous in both the shard and the
/// target (trailing dimensions that both cover whole are merged into one run). Chunks are read once and verified.
/// </summary>
internal sealed class SliceAssembler(ChunkRepository chunks)
{
    public async Task ReadAsync(CheckpointManifest manifest, string tensorName, TensorSlice slice, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var tensor = manifest.Tensor(tensorName);
        slice.ValidateWithin(tensorName, tensor.GlobalShape);
        var elementSize = tensor.DataType.ElementSize();
        var needed = checked(slice.ElementCount * elementSize);
        if (destination.Length != needed)
        {
            throw new ArgumentException($"destination for slice of '{tensorName}' has {destination.Length} bytes, the slice needs {needed}", nameof(destination));
        }

        foreach (var shard in tensor.Shards)
        {
            if (ShardGeometry.Overlaps(shard.Offsets, shard.Extents, slice.Offsets, slice.Extents))
            {
                var source = new ShardBytes(chunks, manifest.Id.ToString(), shard, manifest.ChunkSize);
                await CopyIntersectionAsync(shard, slice, elementSize, source, destination, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task CopyIntersectionAsync(TensorShard shard, TensorSlice slice, int elementSize, ShardBytes source, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var rank = shard.Offsets.Count;
        // lo/len: the intersection box in global coordinates.
        var lo = new long[rank];
        var len = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            lo[d] = Math.Max(shard.Offsets[d], slice.Offsets[d]);
            len[d] = Math.Min(shard.Offsets[d] + shard.Extents[d], slice.Offsets[d] + slice.Extents[d]) - lo[d];
        }

        // Row-major strides in elements of the shard (src) and of the target slice (dst).
        var srcStride = Strides(shard.Extents);
        var dstStride = Strides(slice.Extents);

        // Merge trailing dimensions that the intersection covers whole in both boxes: one run spans them all.
        var split = rank;
        long runElements = 1;
        while (split > 0)
        {
            var d = split - 1;
            runElements *= len[d];
            split--;
            if (len[d] != shard.Extents[d] || len[d] != slice.Extents[d]) break;
        }

        var runBytes = checked(runElements * elementSize);
        var index = new long[split];
        while (true)
        {
            long srcElement = 0, dstElement = 0;
            for (var d = 0; d < rank; d++)
            {
                var position = lo[d] + (d < split ? index[d] : 0);
                srcElement += (position - shard.Offsets[d]) * srcStride[d];
                dstElement += (position - slice.Offsets[d]) * dstStride[d];
            }

            await source.CopyAsync(srcElement * elementSize, destination.Slice(checked((int)(dstElement * elementSize)), (int)runBytes), cancellationToken).ConfigureAwait(false);

            // Odometer over the outer (unmerged) dimensions of the intersection.
            var carry = split - 1;
            while (carry >= 0 && ++index[carry] == len[carry])
            {
                index[carry] = 0;
                carry--;
            }

            if (carry < 0) break;
        }
    }

    private static long[] Strides(IReadOnlyList<long> extents)
    {
        var strides = new long[extents.Count];
        long stride = 1;
        for (var d = extents.Count - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= extents[d];
        }

        return strides;
    }
}
