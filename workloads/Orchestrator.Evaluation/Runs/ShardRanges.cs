namespace Orchestrator.Evaluation.Runs;

/// <summary>How a run's instances are cut into shards: contiguous ranges whose sizes differ by at most one.</summary>
public static class ShardRanges
{
    /// <summary>Instances a shard gets at least when the count is <c>auto</c>: fewer would cost more in worker start-up than they save.</summary>
    public const int AutoMinimumPerShard = 16;

    /// <summary>The shard count for <c>shards: auto</c>: one per gang the cluster could run at once, no shard under
    /// <see cref="AutoMinimumPerShard"/> instances, at least one.</summary>
    /// <param name="instances">Instances in the run.</param>
    /// <param name="devices">Devices in the cluster.</param>
    /// <param name="devicesPerShard">Devices one shard needs.</param>
    public static int Auto(int instances, int devices, int devicesPerShard)
    {
        var gangs = Math.Max(1, devices / Math.Max(1, devicesPerShard));
        var bySize = Math.Max(1, instances / AutoMinimumPerShard);
        return Math.Max(1, Math.Min(gangs, bySize));
    }

    /// <summary>Cuts <paramref name="instances"/> into <paramref name="shards"/> ranges (fewer when there are fewer instances; one empty range for none).</summary>
    public static IReadOnlyList<(int Start, int End)> Split(int instances, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var count = Math.Max(1, Math.Min(shards, instances));
        var ranges = new List<(int, int)>(count);
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            var size = instances / count + (i < instances % count ? 1 : 0);
            ranges.Add((start, start + size));
            start += size;
        }

        return ranges;
    }
}
