using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

/// <summary>A store in a fresh temporary directory, removed on dispose, with helpers to build save requests.</summary>
internal sealed class TemporaryStore : IDisposable
{
    public static readonly CheckpointLayout Layout = new(TensorParallelSize: 2, PipelineParallelSize: 2, DataParallelSize: 1);

    public TemporaryStore(int chunkSize = 64, TimeProvider? clock = null, Func<CheckpointStoreOptions, CheckpointStoreOptions>? configure = null, bool durable = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "orchestrator-checkpoints-tests", Guid.NewGuid().ToString("N"));
        var options = new CheckpointStoreOptions { Root = Root, ChunkSize = chunkSize, Durable = durable, LockTimeout = TimeSpan.FromSeconds(30) };
        Store = new CheckpointStore(configure?.Invoke(options) ?? options, clock);
    }

    public string Root { get; }

    public CheckpointStore Store { get; }

    public string ChunkPath(string hash) => Path.Combine(Root, "chunks", hash[..2], hash);

    public string ManifestPath(CheckpointId id) => Path.Combine(Root, "jobs", id.JobId, "manifests", $"{id.Step:D19}-{id.Attempt:D10}.json");

    public int ChunkFileCount() => Directory.EnumerateFiles(Path.Combine(Root, "chunks"), "*", SearchOption.AllDirectories).Count();

    /// <summary>A request with one single-shard tensor per entry of <paramref name="tensors"/> (1-D uint8).</summary>
    public static CheckpointSaveRequest Request(string job, long step, int attempt, params (string Name, byte[] Bytes)[] tensors) =>
        new(job, step, attempt, Layout, DataPosition: step * 8,
            tensors.Select(t => new TensorSource(t.Name, [t.Bytes.Length], TensorDataType.UInt8,
                [ShardSource.FromBytes([0], [t.Bytes.Length], 0, t.Bytes)])).ToArray());

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
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
