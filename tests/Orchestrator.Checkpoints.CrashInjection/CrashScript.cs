using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>
/// What the saving process does while it may be killed: a job's life in the store with every kind of change in it
/// (attempt claims, saves that reuse some chunks, a distributed save, collections that remove manifests and chunks,
/// a second attempt). Deterministic for a seed, so the bytes of every checkpoint are known and a restore can be compared.
/// </summary>
internal sealed class CrashScript(int seed)
{
    public const string Job = "crash";
    private const int WeightBytes = 1000, BiasBytes = 200, ChunkSize = 64;
    private static readonly CheckpointLayout Layout = new(TensorParallelSize: 1, PipelineParallelSize: 1, DataParallelSize: 1);

    public static CheckpointStoreOptions Options(string root) =>
        new() { Root = root, ChunkSize = ChunkSize, WriteParallelism = 2, LockTimeout = TimeSpan.FromSeconds(30) };

    /// <summary>Runs the script; <paramref name="phase"/> hears what it is about to do (for reporting where crashes land).</summary>
    public async Task RunAsync(CheckpointStore store, Action<string> phase, CancellationToken cancellationToken)
    {
        phase("claim");
        await store.ClaimAttemptAsync(Job, 1, cancellationToken);
        foreach (var step in new[] { 10L, 20L })
        {
            phase("save");
            await store.SaveAsync(Request(step, 1), null, cancellationToken);
            phase("collect");
            await store.CollectGarbageAsync(Job, keep: 2, cancellationToken);
        }

        phase("distributed save");
        var whole = Request(30, 1);
        await store.WritePartAsync(Part(whole, first: true), 0, cancellationToken);
        await store.WritePartAsync(Part(whole, first: false), 1, cancellationToken);
        await store.CommitPartsAsync(whole.Id, 2, null, cancellationToken);
        phase("collect");
        await store.CollectGarbageAsync(Job, keep: 2, cancellationToken);
        phase("claim");
        await store.ClaimAttemptAsync(Job, 2, cancellationToken);
        phase("save");
        await store.SaveAsync(Request(40, 2), null, cancellationToken);
        phase("collect");
        await store.CollectGarbageAsync(Job, keep: 1, cancellationToken);
    }

    /// <summary>What a later process does with the store after the crash: a new attempt saves and collects.</summary>
    public async Task ContinueAsync(CheckpointStore store, CancellationToken cancellationToken)
    {
        await store.ClaimAttemptAsync(Job, 3, cancellationToken);
        await store.SaveAsync(Request(50, 3), null, cancellationToken);
        await store.CollectGarbageAsync(Job, keep: 1, cancellationToken);
    }

    /// <summary>The bytes of tensor <paramref name="name"/> at <paramref name="step"/>: a fixed base with one window changed per step, so saves share most chunks.</summary>
    public byte[] Tensor(string name, long step)
    {
        var length = name == "w" ? WeightBytes : BiasBytes;
        var bytes = new byte[length];
        new Random(seed * 31 + length).NextBytes(bytes);
        var window = new byte[Math.Min(100, length)];
        new Random(seed * 977 + (int)step).NextBytes(window);
        window.CopyTo(bytes.AsSpan((int)(step * 7 % (length - window.Length + 1))));
        return bytes;
    }

    private CheckpointSaveRequest Request(long step, int attempt) =>
        new(Job, step, attempt, Layout, DataPosition: step * 4,
            [Whole("w", Tensor("w", step)), Whole("b", Tensor("b", step))]);

    private static TensorSource Whole(string name, byte[] bytes) =>
        new(name, [bytes.Length], TensorDataType.UInt8, [ShardSource.FromBytes([0], [bytes.Length], 0, bytes)]);

    /// <summary>Half of a distributed save: the first half of "w", or its second half and all of "b".</summary>
    private CheckpointSaveRequest Part(CheckpointSaveRequest whole, bool first)
    {
        var weight = whole.Tensors[0];
        var bytes = Tensor("w", whole.Step);
        var half = WeightBytes / 2;
        var shard = first
            ? ShardSource.FromBytes([0], [half], 0, bytes[..half])
            : ShardSource.FromBytes([half], [WeightBytes - half], 1, bytes[half..]);
        IReadOnlyList<TensorSource> tensors = first ? [weight with { Shards = [shard] }] : [weight with { Shards = [shard] }, whole.Tensors[1]];
        return whole with { Tensors = tensors };
    }
}
