using System.Diagnostics;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Interval;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Checkpoint figures that need no GPU: save throughput against a plain sequential write of the same bytes,
/// deduplication over a fine-tune lineage, the blocking stall of the two-phase save as a share of training time, and
/// (<see cref="RecoveryMeasurement"/>) recovery time and goodput with real workers, and (<see cref="StoreCrashMeasurement"/>)
/// whether the store survives its saving process being killed at random points. Method and results are written up
/// in docs/fault-tolerance.md ("Checkpoint store", "Recovery").
/// </summary>
internal sealed class CheckpointSuite : IBenchmarkSuite
{
    private const int ChunkSize = 4 * 1024 * 1024;
    private const int ThroughputBytes = 384 * 1024 * 1024;
    private const int ThroughputRounds = 7;

    // The model whose per-rank shard the stall is measured on, and the step time it is set against:
    // GPT-2 medium size (355M parameters) on 8 H100s as t2·p2·d2, 512 sequences x 1024 tokens per step, 40% MFU.
    private const double ModelParameters = 355e6;
    private const int TensorParallel = 2, PipelineParallel = 2, Gpus = 8;
    private const double TokensPerStep = 512 * 1024;
    private const double PeakFlopsPerGpu = 989e12, ModelFlopsUtilization = 0.40;
    private const int BytesPerParameter = 14; // bf16 weights + fp32 master weights + fp32 Adam m and v
    private static readonly TimeSpan MeanTimeBetweenFailures = TimeSpan.FromHours(3); // Llama 3: one interruption per ~3 h

    public string Name => "checkpoint";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "orchestrator-bench-checkpoint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            await SaveThroughputAsync(report, scratch, cancellationToken);
            await DeduplicationAsync(report, scratch, cancellationToken);
            await StallAsync(report, scratch, cancellationToken);
            await StoreCrashMeasurement.RunAsync(report, scratch, cancellationToken);
            await RecoveryMeasurement.RunAsync(report, scratch, cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Both sides fsync: the plain file once at the end, the store every chunk and the manifest (its durability
    /// contract). One store takes every round's save, as a worker's store does; before each round one byte of every
    /// chunk changes, so each round's bytes are new to the store (nothing dedups) and both sides write the same bytes.
    /// A plain write with direct I/O (the store's own path to the disk) is measured beside them for reference.
    /// </summary>
    private static async Task SaveThroughputAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        var loadBefore = LoadAverage();
        var startedUtc = DateTime.UtcNow;
        var data = RandomBytes(ThroughputBytes, seed: 1); // random, so no chunk repeats: no dedup flatters the store
        var plain = new Sample();
        var plainDirect = new Sample();
        var store = new Sample();
        var checkpoints = new CheckpointStore(new CheckpointStoreOptions { Root = Path.Combine(scratch, "throughput"), ChunkSize = ChunkSize, Durable = true });
        var bounce = new AlignedBuffer(ChunkSize);
        for (var round = 0; round < ThroughputRounds; round++)
        {
            for (var offset = 0; offset < data.Length; offset += ChunkSize) data[offset]++;
            var file = Path.Combine(scratch, "plain.bin");
            await plain.MeasureAsync(data.Length, async () =>
            {
                await using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
                for (var offset = 0; offset < data.Length; offset += ChunkSize)
                {
                    await stream.WriteAsync(data.AsMemory(offset, Math.Min(ChunkSize, data.Length - offset)), cancellationToken);
                }

                stream.Flush(flushToDisk: true);
            });
            File.Delete(file);

            await store.MeasureAsync(data.Length, () => checkpoints.SaveAsync(SingleShard("throughput", round, data), fence: null, cancellationToken));

            await plainDirect.MeasureAsync(data.Length, () =>
            {
                using var handle = DirectIo.TryCreate(file) ?? throw new InvalidOperationException($"{scratch} refuses direct I/O");
                for (var offset = 0; offset < data.Length; offset += ChunkSize)
                {
                    data.AsSpan(offset, ChunkSize).CopyTo(bounce.Span); // the array is not block-aligned: copied as the store copies it
                    RandomAccess.Write(handle, bounce.Span[..ChunkSize], offset);
                }

                RandomAccess.FlushToDisk(handle);
                return Task.CompletedTask;
            });
            File.Delete(file);
        }

        var ratios = plain.Seconds.Zip(store.Seconds, (p, s) => p / s).ToList();
        var directRatios = plainDirect.Seconds.Zip(store.Seconds, (p, s) => p / s).ToList();
        var io = checkpoints.Chunks.WritesDirect ? "direct I/O" : "page cache (direct I/O refused)";
        report.Add("plain_write_mb_per_s", plain.MedianMegabytesPerSecond, "MB/s", Detail(("bytes", data.Length), ("fsync", "once at end"), ("rounds", ThroughputRounds), ("perRound", plain.PerRound)));
        report.Add("plain_direct_write_mb_per_s", plainDirect.MedianMegabytesPerSecond, "MB/s", Detail(("fsync", "once at end"), ("perRound", plainDirect.PerRound),
            ("note", "reference only: the same bytes written with O_DIRECT from an aligned copy, bypassing the page cache as the store does")));
        report.Add("store_save_mb_per_s", store.MedianMegabytesPerSecond, "MB/s", Detail(("bytes", data.Length), ("fsync", "every chunk and the manifest"), ("chunkBytes", ChunkSize),
            ("writeParallelism", checkpoints.Options.WriteParallelism), ("io", io), ("perRound", store.PerRound)));
        // CPU time per GB depends less on how busy the machine is than wall time: the store's extra is SHA-256, which
        // runs beside the disk writes when there are cores to spare and competes with them when there are not.
        report.Add("plain_write_cpu_seconds_per_gb", plain.MedianCpuPerGb, "s/GB", Detail(("userMedian", plain.MedianUserPerGb), ("systemMedian", plain.MedianSystemPerGb)));
        report.Add("plain_direct_write_cpu_seconds_per_gb", plainDirect.MedianCpuPerGb, "s/GB", Detail(("userMedian", plainDirect.MedianUserPerGb), ("systemMedian", plainDirect.MedianSystemPerGb)));
        report.Add("store_save_cpu_seconds_per_gb", store.MedianCpuPerGb, "s/GB", Detail(("userMedian", store.MedianUserPerGb), ("systemMedian", store.MedianSystemPerGb)));
        report.Add("save_throughput_ratio", Statistics.Median(ratios), "ratio", Detail(("target", ">= 0.8"), ("perRound", string.Join(" ", ratios.Select(r => r.ToString("F3")))),
            ("startedUtc", startedUtc.ToString("O")), ("loadAverageBefore", loadBefore), ("loadAverageAfter", LoadAverage())));
        report.Add("save_throughput_ratio_vs_direct_write", Statistics.Median(directRatios), "ratio", Detail(("perRound", string.Join(" ", directRatios.Select(r => r.ToString("F3"))))));
    }

    /// <summary>
    /// A 24-layer base model (hidden 512, GPT-2 vocabulary, fp16) and ten fine-tunes of it, each changing two
    /// transformer layers and its own task head; the embeddings and the other 22 layers stay frozen.
    /// </summary>
    private static async Task DeduplicationAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        const int layers = 24, hidden = 512, vocabulary = 50257, positions = 1024, classes = 8;
        var random = new Random(7);
        var baseModel = new List<(string Name, long[] Shape, byte[] Bytes)>
        {
            ("embedding.tokens", [vocabulary, hidden], RandomBytes(vocabulary * hidden * 2, random.Next())),
            ("embedding.positions", [positions, hidden], RandomBytes(positions * hidden * 2, random.Next())),
        };
        for (var layer = 0; layer < layers; layer++)
        {
            baseModel.AddRange(Layer(layer, hidden, random));
        }

        var store = new CheckpointStore(new CheckpointStoreOptions { Root = Path.Combine(scratch, "lineage"), ChunkSize = ChunkSize, Durable = false });
        var distinct = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        distinct.UnionWith(baseModel.Select(t => t.Bytes));
        await store.SaveAsync(Model("base", baseModel), null, cancellationToken);
        for (var tune = 0; tune < 10; tune++)
        {
            var changed = Enumerable.Range(0, layers).OrderBy(_ => random.Next()).Take(2).ToHashSet();
            var model = baseModel.Where(t => !changed.Any(l => t.Name.StartsWith($"layers.{l}.", StringComparison.Ordinal))).ToList();
            foreach (var layer in changed) model.AddRange(Layer(layer, hidden, random));
            model.Add(("head.weight", [classes, hidden], RandomBytes(classes * hidden * 2, random.Next())));
            distinct.UnionWith(model.Select(t => t.Bytes));
            await store.SaveAsync(Model($"fine-tune-{tune}", model), null, cancellationToken);
        }

        var usage = await store.GetUsageAsync(cancellationToken);
        // The best any store can do here: each distinct tensor stored once (unchanged tensors share one array).
        var idealStored = distinct.Sum(bytes => (long)bytes.Length);
        report.Add("dedup_ratio", usage.DeduplicationRatio, "ratio", Detail(
            ("target", ">= 7 (MGit)"), ("checkpoints", usage.Checkpoints), ("logicalBytes", usage.LogicalBytes), ("storedBytes", usage.StoredBytes),
            ("idealRatio", (double)usage.LogicalBytes / idealStored),
            ("lineage", "24-layer base (hidden 512, fp16) + 10 fine-tunes each changing 2 layers and a task head")));
        await UsageCountAsync(report, scratch, cancellationToken);
    }

    /// <summary>
    /// What it costs a worker to report the store's deduplication ratio after a save, on a store with many chunk
    /// files: a first count (reads every manifest, measures every chunk file) against repeated counts by the same
    /// store instance after a save of all-new chunks and after a save that deduplicates entirely but one chunk.
    /// Tiny 16-byte chunks stand in for a large store: the count's cost follows files and hashes, not their bytes.
    /// </summary>
    private static async Task UsageCountAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        const int checkpoints = 10, chunksPerCheckpoint = 10_000, tiny = CheckpointStoreOptions.MinChunkSize;
        var store = new CheckpointStore(new CheckpointStoreOptions { Root = Path.Combine(scratch, "usage"), ChunkSize = tiny, Durable = false });
        var random = new Random(11);
        var weights = RandomBytes(tiny * chunksPerCheckpoint, seed: 12);
        for (var step = 0; step < checkpoints; step++)
        {
            for (var i = 0; i < chunksPerCheckpoint / 2; i++) weights[random.Next(weights.Length)]++; // about 40% of chunks change
            await store.SaveAsync(SingleShard("usage", step, weights), null, cancellationToken);
        }

        var first = await TimeAsync(() => store.GetUsageAsync(cancellationToken));
        var warm = await TimeAsync(() => store.GetUsageAsync(cancellationToken));
        await store.SaveAsync(SingleShard("usage-new", 1, RandomBytes(weights.Length, seed: 13)), null, cancellationToken);
        var afterNew = await TimeAsync(() => store.GetUsageAsync(cancellationToken));
        weights[0]++;
        await store.SaveAsync(SingleShard("usage", checkpoints, weights), null, cancellationToken);
        var afterDedup = await TimeAsync(() => store.GetUsageAsync(cancellationToken));
        var usage = await store.GetUsageAsync(cancellationToken);
        report.Add("usage_first_count_ms", first, "ms", Detail(("checkpoints", usage.Checkpoints), ("chunkFiles", usage.Chunks), ("note", "first count by this store instance: reads every manifest, measures every chunk file")));
        report.Add("usage_repeat_count_ms", warm, "ms", Detail(("note", "same instance, nothing changed")));
        report.Add("usage_count_after_new_save_ms", afterNew, "ms", Detail(("newChunks", chunksPerCheckpoint)));
        report.Add("usage_count_after_dedup_save_ms", afterDedup, "ms", Detail(("newChunks", 1), ("reusedChunks", chunksPerCheckpoint - 1)));
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// Phase 1 of the two-phase save on one rank's shard (host-to-host copy standing in for device-to-host), warm
    /// buffers, median of three saves; the stall share follows from the auto (Young/Daly) interval.
    /// </summary>
    private static async Task StallAsync(BenchmarkReport report, string scratch, CancellationToken cancellationToken)
    {
        var shardBytes = (long)(ModelParameters / (TensorParallel * PipelineParallel) * BytesPerParameter);
        var stepSeconds = 6 * ModelParameters * TokensPerStep / (Gpus * PeakFlopsPerGpu * ModelFlopsUtilization);
        var tensors = new List<byte[]>();
        for (long left = shardBytes; left > 0; left -= 256L * 1024 * 1024)
        {
            tensors.Add(RandomBytes((int)Math.Min(left, 256L * 1024 * 1024), tensors.Count + 100));
        }

        var store = new CheckpointStore(new CheckpointStoreOptions { Root = Path.Combine(scratch, "stall"), ChunkSize = ChunkSize, Durable = true });
        await using var saver = new AsyncCheckpointSaver(store);
        var reserveStarted = Stopwatch.GetTimestamp();
        saver.Reserve(shardBytes); // as a worker does while the model loads: map the snapshot buffers before step 1
        var reserveSeconds = Stopwatch.GetElapsedTime(reserveStarted).TotalSeconds;
        var stalls = new List<double>();
        var writes = new List<double>();
        var firstStall = 0.0;
        for (var save = 0; save < 4; save++)
        {
            var request = new CheckpointSaveRequest("stall", save + 1, 1, new CheckpointLayout(TensorParallel, PipelineParallel, Gpus / (TensorParallel * PipelineParallel)), 0,
                tensors.Select((bytes, i) => new TensorSource($"shard.{i}", [bytes.Length], TensorDataType.UInt8, [ShardSource.FromBytes([0], [bytes.Length], 0, bytes)])).ToList());
            var ticket = await saver.BeginSaveAsync(request, cancellationToken);
            var result = await ticket.Completion!;
            if (save == 0) firstStall = ticket.Stall.TotalSeconds;
            if (save > 0) // the first save is reported apart: it also pays one-time costs (JIT, creating chunk directories)
            {
                stalls.Add(ticket.Stall.TotalSeconds);
                writes.Add(result.WriteDuration.TotalSeconds);
            }

            // An optimizer step changes every weight, so the next save finds no chunk it can reuse.
            foreach (var bytes in tensors)
            {
                for (var offset = 0; offset < bytes.Length; offset += ChunkSize) bytes[offset]++;
            }
        }

        var stall = TimeSpan.FromSeconds(Statistics.Median(stalls));
        var interval = CheckpointInterval.YoungDaly(stall, MeanTimeBetweenFailures);
        var stepsBetween = Math.Max(1, Math.Ceiling(interval.TotalSeconds / stepSeconds));
        var fraction = stall.TotalSeconds / (stepsBetween * stepSeconds + stall.TotalSeconds);
        report.Add("stall_seconds", stall.TotalSeconds, "s", Detail(("shardBytes", shardBytes), ("perSave", string.Join(" ", stalls.Select(s => s.ToString("F3")))),
            ("firstSaveStall", firstStall), ("reserveSecondsBeforeTraining", reserveSeconds)));
        report.Add("background_write_seconds", Statistics.Median(writes), "s", Detail(("note", "phase 2 with every chunk new: hash, write with fsync, commit; must finish within the interval")));
        report.Add("step_seconds_stated", stepSeconds, "s", Detail(("model", "355M parameters, t2·p2·d2 on 8 H100, 512x1024 tokens per step, 40% MFU")));
        report.Add("auto_interval_seconds", interval.TotalSeconds, "s", Detail(("mtbfSeconds", MeanTimeBetweenFailures.TotalSeconds), ("stepsBetweenCheckpoints", stepsBetween)));
        report.Add("stall_fraction", fraction, "fraction", Detail(("target", "<= 0.035 (CheckFreq)"), ("stallPerCheckpointStepFraction", stall.TotalSeconds / stepSeconds)));
    }

    private static IEnumerable<(string Name, long[] Shape, byte[] Bytes)> Layer(int layer, int hidden, Random random)
    {
        (string Suffix, long Rows, long Columns)[] matrices =
        [
            ("attention.qkv.weight", hidden, 3 * hidden), ("attention.proj.weight", hidden, hidden),
            ("mlp.fc1.weight", hidden, 4 * hidden), ("mlp.fc2.weight", 4 * hidden, hidden),
            ("norm1.weight", 1, hidden), ("norm2.weight", 1, hidden),
        ];
        return matrices.Select(m => ($"layers.{layer}.{m.Suffix}", new[] { m.Rows, m.Columns }, RandomBytes((int)(m.Rows * m.Columns * 2), random.Next())));
    }

    /// <summary>Saved as tensor-parallel 2 would save it: each matrix split by rows between two ranks where it can be.</summary>
    private static CheckpointSaveRequest Model(string job, IEnumerable<(string Name, long[] Shape, byte[] Bytes)> tensors) =>
        new(job, 1000, 1, new CheckpointLayout(2, 1, 1), 0, tensors.Select(t =>
        {
            if (t.Shape[0] < 2) return new TensorSource(t.Name, t.Shape, TensorDataType.Float16, [ShardSource.FromBytes([0, 0], t.Shape, 0, t.Bytes)]);
            var half = t.Shape[0] / 2;
            var split = (int)(half * t.Shape[1] * 2);
            return new TensorSource(t.Name, t.Shape, TensorDataType.Float16,
            [
                ShardSource.FromBytes([0, 0], [half, t.Shape[1]], 0, t.Bytes.AsMemory(0, split)),
                ShardSource.FromBytes([half, 0], [t.Shape[0] - half, t.Shape[1]], 1, t.Bytes.AsMemory(split)),
            ]);
        }).ToList());

    private static CheckpointSaveRequest SingleShard(string job, long step, byte[] data) =>
        new(job, step, 1, new CheckpointLayout(1, 1, 1), 0, [new TensorSource("data", [data.Length], TensorDataType.UInt8, [ShardSource.FromBytes([0], [data.Length], 0, data)])]);

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    /// <summary>Wall seconds and process CPU seconds (user and system) of one side of the throughput comparison, per round.</summary>
    private sealed class Sample
    {
        private readonly List<(double Wall, double User, double System, long Bytes)> _rounds = [];

        public IEnumerable<double> Seconds => _rounds.Select(r => r.Wall);

        public double MedianMegabytesPerSecond => Statistics.Median(_rounds.Select(r => r.Bytes / r.Wall / 1e6).ToList());

        public double MedianCpuPerGb => Statistics.Median(_rounds.Select(r => (r.User + r.System) / (r.Bytes / 1e9)).ToList());

        public double MedianUserPerGb => Statistics.Median(_rounds.Select(r => r.User / (r.Bytes / 1e9)).ToList());

        public double MedianSystemPerGb => Statistics.Median(_rounds.Select(r => r.System / (r.Bytes / 1e9)).ToList());

        public string PerRound => string.Join(" ", _rounds.Select(r => $"{r.Bytes / r.Wall / 1e6:F0}"));

        public async Task MeasureAsync(long bytes, Func<Task> write)
        {
            using var process = Process.GetCurrentProcess();
            var (user, system) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
            var started = Stopwatch.GetTimestamp();
            await write();
            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            process.Refresh();
            _rounds.Add((wall, (process.UserProcessorTime - user).TotalSeconds, (process.PrivilegedProcessorTime - system).TotalSeconds, bytes));
        }
    }

    private static Dictionary<string, object> Detail(params (string Key, object Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);
}
