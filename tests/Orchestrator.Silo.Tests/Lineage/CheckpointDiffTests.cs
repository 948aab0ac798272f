using Orchestrator.Contracts.Lineage;
using Orchestrator.Silo.Lineage;

namespace Orchestrator.Silo.Tests.Lineage;

/// <summary>The model diff on hand-made pairs whose differences are known exactly.</summary>
public sealed class CheckpointDiffTests
{
    [Fact]
    public async Task Changed_bytes_and_the_relative_L2_norm_are_exact_and_equal_tensors_are_not_read()
    {
        using var temp = new LineageStore();
        float[] frozen = [.. Enumerable.Range(0, 16).Select(i => i * 0.5f)];
        var a = await temp.SaveAsync("a", 1, ("embed", [4, 4], frozen), ("head", [2, 3], [1, 2, 3, 4, 5, 6]), ("only-a", [2], [1, 1]));
        var b = await temp.SaveAsync("b", 1, ("embed", [4, 4], frozen), ("head", [2, 3], [1, 2, 3, 4, 5, 8]), ("only-b", [2], [3, 3]));

        var (tensors, read) = await new CheckpointDiff(temp.Store).CompareAsync(a, b, CancellationToken.None);

        var byName = tensors.ToDictionary(t => t.Name);
        Assert.Equal(["embed", "head", "only-a", "only-b"], tensors.Select(t => t.Name));
        Assert.Equal(TensorDifferenceKind.Same, byName["embed"].Kind);
        Assert.Equal(0, byName["embed"].ChangedBytes);
        Assert.Equal(TensorDifferenceKind.Changed, byName["head"].Kind);
        Assert.Equal(4, byName["head"].ChangedBytes); // one float32 element
        Assert.Equal(Math.Sqrt(4.0) / Math.Sqrt(91.0), byName["head"].RelativeL2); // |8-6| over sqrt(1+4+9+16+25+36)
        Assert.Equal(TensorDifferenceKind.OnlyInFirst, byName["only-a"].Kind);
        Assert.Equal(TensorDifferenceKind.OnlyInSecond, byName["only-b"].Kind);
        Assert.Equal(2 * 24, read); // the identical embedding's chunks are shared: only the head is read, from both
    }

    [Fact]
    public async Task Versions_saved_under_different_layouts_compare_element_by_element()
    {
        using var temp = new LineageStore();
        float[] values = [.. Enumerable.Range(1, 24).Select(i => (float)i)];
        float[] changed = [.. values];
        changed[0] = 0; // -1
        changed[23] = 27; // +3
        var a = await temp.SaveAsync("a", 1, ("w", [4, 6], values));
        var same = await temp.SaveAsync("same", 2, ("w", [4, 6], values));
        var b = await temp.SaveAsync("b", 4, ("w", [4, 6], changed));
        var diff = new CheckpointDiff(temp.Store);

        var equal = Assert.Single((await diff.CompareAsync(a, same, CancellationToken.None)).Tensors);
        var different = Assert.Single((await diff.CompareAsync(a, b, CancellationToken.None)).Tensors);

        Assert.Equal(TensorDifferenceKind.Same, equal.Kind);
        Assert.Equal(0, equal.RelativeL2);
        Assert.Equal(8, different.ChangedBytes);
        var norm = Math.Sqrt(values.Sum(v => (double)v * v));
        Assert.Equal(Math.Sqrt(1.0 + 9.0) / norm, different.RelativeL2, 12);
    }

    [Fact]
    public async Task A_tensor_of_another_shape_is_reported_reshaped_not_compared()
    {
        using var temp = new LineageStore();
        var a = await temp.SaveAsync("a", 1, ("w", [2, 2], [1, 2, 3, 4]));
        var b = await temp.SaveAsync("b", 1, ("w", [4, 1], [1, 2, 3, 4]));

        var tensor = Assert.Single((await new CheckpointDiff(temp.Store).CompareAsync(a, b, CancellationToken.None)).Tensors);

        Assert.Equal(TensorDifferenceKind.Reshaped, tensor.Kind);
        Assert.True(double.IsNaN(tensor.RelativeL2));
    }
}
