using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Reading;
using Orchestrator.Checkpoints.Saving;

namespace Orchestrator.Checkpoints.Tests;

public sealed class ReshardingTests
{
    private static CancellationToken Ct => CancellationToken.None;

    public static TheoryData<long[], int[], int[], TensorDataType> Layouts => new()
    {
        // Saved split by rows (row-parallel, t=2), restored split by columns (column-parallel, t=4).
        { [8, 12], [2, 1], [1, 4], TensorDataType.Float32 },
        // Saved by columns, restored by rows into uneven pieces.
        { [9, 10], [1, 5], [4, 1], TensorDataType.BFloat16 },
        // 3-D: saved along dims 1 and 2, restored along dims 0 and 2.
        { [6, 8, 10], [1, 2, 3], [3, 1, 2], TensorDataType.Float32 },
        // 4-D with a grid on every dimension on both sides.
        { [5, 7, 9, 3], [2, 3, 1, 3], [1, 2, 4, 1], TensorDataType.Int64 },
        // Many shards restored whole (one rank takes everything: t=1).
        { [4, 6, 5], [4, 3, 5], [1, 1, 1], TensorDataType.Float16 },
        // One shard restored as a fine grid.
        { [7, 11], [1, 1], [7, 11], TensorDataType.UInt8 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task A_tensor_saved_under_one_sharding_restores_under_another(long[] shape, int[] savedPieces, int[] restoredPieces, TensorDataType dataType)
    {
        // A chunk size that is not a multiple of the element or row size, so runs straddle chunk boundaries.
        using var temp = new TemporaryStore(chunkSize: 24);
        var elementSize = dataType.ElementSize();
        var global = TemporaryStore.RandomBytes((int)(shape.Aggregate(1L, (a, b) => a * b) * elementSize), seed: shape.Length);
        var manifest = await SaveAsync(temp, shape, dataType, global, Grid.Split(shape, savedPieces));

        foreach (var target in Grid.Split(shape, restoredPieces))
        {
            var destination = new byte[target.ElementCount * elementSize];
            await temp.Store.ReadSliceAsync(manifest, "w", target, destination, Ct);

            Assert.Equal(Grid.Extract(global, shape, elementSize, target), destination);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Arbitrary_boxes_assemble_from_whichever_shards_overlap_them(int seed)
    {
        using var temp = new TemporaryStore(chunkSize: 40);
        var random = new Random(seed);
        var shape = Enumerable.Range(0, 1 + seed % 4).Select(_ => (long)random.Next(1, 9)).ToArray();
        var saved = Grid.Split(shape, shape.Select(extent => random.Next(1, (int)extent + 1)).ToArray());
        var global = TemporaryStore.RandomBytes((int)shape.Aggregate(1L, (a, b) => a * b) * 4, seed);
        var manifest = await SaveAsync(temp, shape, TensorDataType.Int32, global, saved);

        for (var trial = 0; trial < 25; trial++)
        {
            var offsets = shape.Select(extent => (long)random.Next(0, (int)extent)).ToArray();
            var box = new TensorSlice(offsets, offsets.Select((o, d) => (long)random.Next(1, (int)(shape[d] - o) + 1)).ToArray());
            var destination = new byte[box.ElementCount * 4];

            await temp.Store.ReadSliceAsync(manifest, "w", box, destination, Ct);

            Assert.Equal(Grid.Extract(global, shape, 4, box), destination);
        }
    }

    [Fact]
    public async Task A_scalar_tensor_round_trips()
    {
        using var temp = new TemporaryStore();
        var manifest = await SaveAsync(temp, [], TensorDataType.Float64, [1, 2, 3, 4, 5, 6, 7, 8], [new TensorSlice([], [])]);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, await temp.Store.ReadTensorAsync(manifest, "w", Ct));
    }

    [Fact]
    public async Task A_slice_outside_the_tensor_is_refused_naming_the_dimension()
    {
        using var temp = new TemporaryStore();
        var manifest = await SaveAsync(temp, [4, 4], TensorDataType.UInt8, new byte[16], [TensorSlice.Whole([4, 4])]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.ReadSliceAsync(manifest, "w", new TensorSlice([2, 0], [3, 4]), new byte[12], Ct));

        Assert.Contains("dimension 0 spans [2, 5)", error.Message);
    }

    [Fact]
    public async Task A_destination_of_the_wrong_length_is_refused()
    {
        using var temp = new TemporaryStore();
        var manifest = await SaveAsync(temp, [4, 4], TensorDataType.Float32, new byte[64], [TensorSlice.Whole([4, 4])]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.ReadSliceAsync(manifest, "w", new TensorSlice([0, 0], [2, 4]), new byte[31], Ct));

        Assert.Contains("the slice needs 32", error.Message);
    }

    [Fact]
    public async Task Reading_an_unknown_tensor_names_it()
    {
        using var temp = new TemporaryStore();
        var manifest = await SaveAsync(temp, [2], TensorDataType.UInt8, [1, 2], [TensorSlice.Whole([2])]);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => temp.Store.ReadTensorAsync(manifest, "missing", Ct));

        Assert.Contains("no tensor 'missing'", error.Message);
    }

    private static async Task<CheckpointManifest> SaveAsync(TemporaryStore temp, long[] shape, TensorDataType dataType, byte[] global, IReadOnlyList<TensorSlice> shards)
    {
        var elementSize = dataType.ElementSize();
        var sources = shards.Select((box, rank) =>
            ShardSource.FromBytes(box.Offsets, box.Extents, rank, Grid.Extract(global, shape, elementSize, box))).ToArray();
        var request = new CheckpointSaveRequest("job", 1, 1, TemporaryStore.Layout, 0, [new TensorSource("w", shape, dataType, sources)]);
        return (await temp.Store.SaveAsync(request, null, Ct)).Manifest;
    }
}
