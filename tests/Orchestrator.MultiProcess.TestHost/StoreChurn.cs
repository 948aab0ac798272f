using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.MultiProcess.TestHost;

/// <summary>
/// A process that saves checkpoints into a store and collects garbage after each, forever, until it is killed: the
/// subject of the chaos suite's crash points (a kill lands mid-chunk, between chunks and manifest, mid-collection or
/// mid-rename). Each run is attempt <c>ATTEMPT</c> and continues from the newest committed step. Half of each tensor
/// changes between saves, so every save both writes new chunks and reuses old ones.
/// </summary>
internal static class StoreChurn
{
    public const string JobId = "churn";
    private const int TensorBytes = 192 * 1024;

    public static async Task<int> RunAsync(string root, int attempt)
    {
        var store = new CheckpointStore(new CheckpointStoreOptions { Root = root, ChunkSize = 16 * 1024 });
        var step = store.List(JobId).Select(id => id.Step).DefaultIfEmpty(0).Max();
        var random = new Random(attempt);
        var tensors = Enumerable.Range(0, 2).Select(_ => new byte[TensorBytes]).ToList();
        foreach (var tensor in tensors) random.NextBytes(tensor);
        Console.WriteLine("saving");
        while (true)
        {
            step++;
            foreach (var tensor in tensors) random.NextBytes(tensor.AsSpan(0, TensorBytes / 2));
            var request = new CheckpointSaveRequest(JobId, step, attempt, new CheckpointLayout(1, 1, 1), step,
                tensors.Select((t, i) => new TensorSource($"t{i}", [TensorBytes / 4], TensorDataType.Float32,
                    [ShardSource.FromBytes([0], [TensorBytes / 4], 0, t.ToArray())])).ToList());
            await store.SaveAsync(request, fence: null, CancellationToken.None);
            await store.CollectGarbageAsync(JobId, keep: 2, CancellationToken.None);
        }
    }
}
