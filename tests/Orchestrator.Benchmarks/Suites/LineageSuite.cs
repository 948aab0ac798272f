using System.Diagnostics;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;
using Orchestrator.Silo.Lineage;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Model lineage figures (docs/lineage.md): the storage ratio of a model family (a base and ten fine-tunes that each
/// change a few layers) as the lineage graph accounts it from the store's chunk sharing, against the family's ideal
/// (every distinct tensor once) and MGit's reported up-to-7x; and the time to diff two versions of 10 MB, 100 MB and
/// 1 GB of float32 tensors in which every tensor differs (the worst case: every byte of both is read and compared).
/// </summary>
internal sealed class LineageSuite : IBenchmarkSuite
{
    private const int Layers = 24, Hidden = 512, Vocabulary = 50257, Positions = 1024, Classes = 8, ChangedLayers = 3, FineTunes = 10;
    private const int DiffRounds = 3;
    private static readonly (string Name, long Bytes)[] DiffSizes = [("10MB", 10_000_000), ("100MB", 100_000_000), ("1GB", 1_000_000_000)];

    public string Name => "lineage";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "orchestrator-bench-lineage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            await FamilyStorageAsync(report, scratch, cancellationToken);
            await DiffAsync(report, scratch, cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// A GPT base (24 layers, hidden 512, GPT-2 vocabulary, fp16 weights) and ten fine-tunes of it, each retraining
    /// three random layers and adding its own task head; embeddings and the other layers are frozen (shared).
    /// </summary>
    private static async Task FamilyStorageAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        var store = new CheckpointStore(new CheckpointStoreOptions { Root = Path.Combine(scratch, "family"), Durable = false });
        var random = new Random(17);
        var tensors = new Dictionary<string, (long[] Shape, byte[] Bytes)>(StringComparer.Ordinal)
        {
            ["embedding.tokens"] = Fp16(random, Vocabulary, Hidden),
            ["embedding.positions"] = Fp16(random, Positions, Hidden),
        };
        for (var layer = 0; layer < Layers; layer++)
        {
            foreach (var (name, shape) in LayerShapes(layer)) tensors[name] = Fp16(random, shape);
        }

        var distinct = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        var manifests = new Dictionary<string, CheckpointManifest>(StringComparer.Ordinal);
        manifests["base@1"] = await SaveAsync(store, "base", tensors, distinct, cancellationToken);
        for (var tune = 0; tune < FineTunes; tune++)
        {
            var model = new Dictionary<string, (long[] Shape, byte[] Bytes)>(tensors, StringComparer.Ordinal);
            foreach (var layer in Enumerable.Range(0, Layers).OrderBy(_ => random.Next()).Take(ChangedLayers))
            {
                foreach (var (name, shape) in LayerShapes(layer)) model[name] = Fp16(random, shape);
            }

            model["head.weight"] = Fp16(random, Classes, Hidden);
            manifests[$"tune-{tune}@1"] = await SaveAsync(store, $"tune-{tune}", model, distinct, cancellationToken);
        }

        // The same accounting the lineage grain reports per family (orch models): logical bytes over distinct chunk bytes.
        var sharing = new ChunkSharing(manifests);
        var logical = manifests.Values.Sum(m => m.LogicalBytes);
        var stored = sharing.StoredBytes(manifests.Keys);
        var ideal = distinct.Sum(b => (long)b.Length);
        var usage = await store.GetUsageAsync(cancellationToken);
        report.Add("family_storage_ratio", (double)logical / stored, "ratio", Detail(
            ("idealRatio", (double)logical / ideal), ("mgitReported", "up to 7x (Hao et al.)"), ("versions", manifests.Count),
            ("logicalBytes", logical), ("storedBytes", stored), ("idealBytes", ideal), ("storeChunkBytes", usage.StoredBytes),
            ("uniqueBytesPerFineTune", sharing.UniqueBytes("tune-0@1")), ("chunkBytes", store.Options.ChunkSize),
            ("family", $"{Layers}-layer base (hidden {Hidden}, fp16) + {FineTunes} fine-tunes each changing {ChangedLayers} layers and adding a task head")));
    }

    /// <summary>
    /// Two versions of <c>size</c> bytes of float32 tensors (16 MB each at most), every tensor perturbed in about one
    /// element in a hundred, saved tensor by tensor so no more than one tensor is in memory; then the diff (warm-up
    /// once, median of three). The chunks were just written, so reads come mostly from the page cache.
    /// </summary>
    private static async Task DiffAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        foreach (var (label, bytes) in DiffSizes)
        {
            var root = Path.Combine(scratch, "diff-" + label);
            var store = new CheckpointStore(new CheckpointStoreOptions { Root = root, Durable = false });
            var first = await SaveStreamedAsync(store, "a", bytes, perturb: false, cancellationToken);
            var second = await SaveStreamedAsync(store, "b", bytes, perturb: true, cancellationToken);
            var diff = new CheckpointDiff(store);
            await diff.CompareAsync(first, second, cancellationToken); // warm-up
            var load = MoeThreadClock.LoadAverage();
            var times = new List<double>();
            long changed = 0, read = 0;
            for (var round = 0; round < DiffRounds; round++)
            {
                var started = Stopwatch.GetTimestamp();
                var (tensors, bytesRead) = await diff.CompareAsync(first, second, cancellationToken);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                (changed, read) = (tensors.Sum(t => t.ChangedBytes), bytesRead);
            }

            report.Add($"diff_ms.{label}", Statistics.Median(times), "ms", Detail(
                ("modelBytes", first.LogicalBytes), ("tensors", first.Tensors.Count), ("bytesRead", read), ("changedBytes", changed),
                ("readMbPerSecond", read / 1e6 / (Statistics.Median(times) / 1000)), ("perRound", string.Join(" ", times.Select(t => t.ToString("F0")))),
                ("loadAverage", load), ("note", "every tensor differs: both versions read whole, in-process CheckpointDiff")));
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<CheckpointManifest> SaveAsync(CheckpointStore store, string job, Dictionary<string, (long[] Shape, byte[] Bytes)> tensors, HashSet<byte[]> distinct, CancellationToken cancellationToken)
    {
        distinct.UnionWith(tensors.Values.Select(t => t.Bytes));
        var sources = tensors.Select(t => new TensorSource(t.Key, t.Value.Shape, TensorDataType.Float16, [ShardSource.FromBytes(new long[t.Value.Shape.Length], t.Value.Shape, 0, t.Value.Bytes)])).ToList();
        await store.SaveAsync(new CheckpointSaveRequest(job, 1, 1, new CheckpointLayout(1, 1, 1), 0, sources), null, cancellationToken);
        return await store.LoadManifestAsync(new CheckpointId(job, 1, 1), cancellationToken);
    }

    /// <summary>Writes a checkpoint one tensor per part (the store's distributed-save path), so memory holds one tensor at a time.</summary>
    private static async Task<CheckpointManifest> SaveStreamedAsync(CheckpointStore store, string job, long bytes, bool perturb, CancellationToken cancellationToken)
    {
        const int rowFloats = 1024, maxRows = 4096; // tensors of at most 16 MB
        var rows = (int)Math.Min(maxRows, Math.Max(1, bytes / 4 / rowFloats / 8));
        var tensorBytes = (long)rows * rowFloats * 4;
        var count = (int)Math.Max(1, bytes / tensorBytes);
        var id = new CheckpointId(job, 1, 1);
        for (var i = 0; i < count; i++)
        {
            var values = new float[rows * rowFloats];
            var random = new Random(i); // both versions start from the same tensor
            for (var v = 0; v < values.Length; v++) values[v] = (float)(random.NextDouble() - 0.5);
            if (perturb)
            {
                var noise = new Random(1000 + i);
                for (var v = noise.Next(100); v < values.Length; v += 1 + noise.Next(200)) values[v] += 1e-3f;
            }

            var source = new TensorSource($"layers.{i}.weight", [rows, rowFloats], TensorDataType.Float32,
                [ShardSource.FromBytes([0, 0], [rows, rowFloats], 0, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray())]);
            await store.WritePartAsync(new CheckpointSaveRequest(job, 1, 1, new CheckpointLayout(1, 1, 1), 0, [source]), i, cancellationToken);
        }

        await store.CommitPartsAsync(id, count, null, cancellationToken);
        return await store.LoadManifestAsync(id, cancellationToken);
    }

    private static IEnumerable<(string Name, long[] Shape)> LayerShapes(int layer) =>
    [
        ($"layers.{layer}.attention.qkv.weight", [3 * Hidden, Hidden]),
        ($"layers.{layer}.attention.output.weight", [Hidden, Hidden]),
        ($"layers.{layer}.mlp.up.weight", [4 * Hidden, Hidden]),
        ($"layers.{layer}.mlp.down.weight", [Hidden, 4 * Hidden]),
        ($"layers.{layer}.norm.weight", [2, Hidden]),
    ];

    private static (long[] Shape, byte[] Bytes) Fp16(Random random, params long[] shape)
    {
        var bytes = new byte[shape.Aggregate(2L, (product, extent) => product * extent)];
        random.NextBytes(bytes);
        return (shape, bytes);
    }

    private static Dictionary<string, object> Detail(params (string Key, object Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);
}
