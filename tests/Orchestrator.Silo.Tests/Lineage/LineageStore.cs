using System.Runtime.InteropServices;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Silo.Tests.Lineage;

/// <summary>A checkpoint store in a temporary directory with helpers to save hand-made float tensors.</summary>
internal sealed class LineageStore : IDisposable
{
    public LineageStore(int chunkSize = 16)
    {
        Root = Path.Combine(Path.GetTempPath(), "orchestrator-lineage-tests", Guid.NewGuid().ToString("N"));
        Store = new CheckpointStore(new CheckpointStoreOptions { Root = Root, ChunkSize = chunkSize, Durable = false });
    }

    public string Root { get; }

    public CheckpointStore Store { get; }

    /// <summary>Saves float32 tensors; each is split into <paramref name="shards"/> row blocks (one per rank), so layouts differ.</summary>
    public async Task<CheckpointManifest> SaveAsync(string job, int shards, params (string Name, long[] Shape, float[] Values)[] tensors)
    {
        var layout = new CheckpointLayout(1, 1, shards);
        var sources = tensors.Select(t =>
        {
            var bytes = MemoryMarshal.AsBytes(t.Values.AsSpan()).ToArray();
            var rows = t.Shape[0];
            var rowBytes = bytes.Length / rows;
            var per = rows / shards;
            return new TensorSource(t.Name, t.Shape, TensorDataType.Float32, Enumerable.Range(0, shards).Select(s =>
            {
                var extents = t.Shape.ToArray();
                extents[0] = per;
                var offsets = new long[t.Shape.Length];
                offsets[0] = s * per;
                return ShardSource.FromBytes(offsets, extents, s, bytes.AsMemory((int)(s * per * rowBytes), (int)(per * rowBytes)));
            }).ToArray());
        }).ToArray();
        await Store.SaveAsync(new CheckpointSaveRequest(job, 1, 1, layout, 0, sources), null, CancellationToken.None);
        return await Store.LoadManifestAsync(new CheckpointId(job, 1, 1), CancellationToken.None);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
