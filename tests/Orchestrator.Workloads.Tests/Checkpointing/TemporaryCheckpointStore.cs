using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>A checkpoint store in a fresh temporary directory, removed on dispose.</summary>
internal sealed class TemporaryCheckpointStore : IDisposable
{
    // Small chunks so that even the tiny test models span several chunks per tensor.
    private const int ChunkSize = 4096;

    public TemporaryCheckpointStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "orchestrator-workloads-tests", Guid.NewGuid().ToString("N"));
        Store = new CheckpointStore(new CheckpointStoreOptions { Root = Root, ChunkSize = ChunkSize, Durable = false });
    }

    public string Root { get; }

    public CheckpointStore Store { get; }

    public string ChunkPath(string hash) => Path.Combine(Root, "chunks", hash[..2], hash);

    /// <summary>A second store holding a copy of everything in this one, so several runs can resume from the same checkpoints.</summary>
    public TemporaryCheckpointStore Copy()
    {
        var copy = new TemporaryCheckpointStore();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Root, Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return copy;
    }

    /// <summary>Flips a byte of a chunk that <paramref name="tensor"/> of <paramref name="id"/> references and no older checkpoint of the job does.</summary>
    public async Task CorruptChunkAsync(CheckpointId id, string tensor)
    {
        var manifest = await Store.LoadManifestAsync(id, CancellationToken.None);
        var older = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in Store.List(id.JobId).Where(o => o.CompareTo(id) < 0))
        {
            older.UnionWith((await Store.LoadManifestAsync(other, CancellationToken.None)).ChunkHashes);
        }

        var victim = manifest.Tensor(tensor).Shards.SelectMany(s => s.Chunks).First(c => !older.Contains(c));
        var bytes = await File.ReadAllBytesAsync(ChunkPath(victim));
        bytes[^1] ^= 0x5a;
        await File.WriteAllBytesAsync(ChunkPath(victim), bytes);
    }

    /// <summary>Every tensor of a checkpoint as floats, by name.</summary>
    public async Task<Dictionary<string, float[]>> ReadAllAsync(CheckpointId id)
    {
        var manifest = await Store.LoadManifestAsync(id, CancellationToken.None);
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var tensor in manifest.Tensors)
        {
            var bytes = await Store.ReadTensorAsync(manifest, tensor.Name, CancellationToken.None);
            tensors[tensor.Name] = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }

        return tensors;
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
