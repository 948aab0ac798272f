using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Placement;

/// <summary>Describes a found placement: what it spans and the outermost level each kind of group crosses.</summary>
internal static class PlacementSummary
{
    /// <param name="tree">The cluster.</param>
    /// <param name="layout">The layout placed.</param>
    /// <param name="devices">Device ordinals by rank, ascending (the search emits them in tree order).</param>
    /// <param name="gpuType">The GPU type used.</param>
    public static PlacementResult Describe(TopologyTree tree, ParallelLayout layout, int[] devices, string gpuType)
    {
        // Context ranks sit between tensor and data in Megatron's order and hold the same weights as data ranks, so
        // they count as data ranks here: the data group (the gradient reduction) then spans data x context, as it does.
        var (t, p, d, e) = (layout.Tensor, layout.Pipeline, layout.Data * layout.Context, layout.Expert);

        // Megatron-LM rank = tensor + T*(data + D*pipeline). Members of any group, taken in rank order, are in
        // ascending tree order, and a subtree is a contiguous range, so a group's innermost common level is that of
        // its first and last member.
        int Rank(int tensor, int data, int pipeline) => tensor + t * (data + d * pipeline);
        var levels = new Dictionary<ParallelGroupKind, TopologyLevel>
        {
            [ParallelGroupKind.Tensor] = Outermost(p * d, i => (Rank(0, i % d, i / d), Rank(t - 1, i % d, i / d))),
            [ParallelGroupKind.Data] = Outermost(t * p, i => (Rank(i % t, 0, i / t), Rank(i % t, d - 1, i / t))),
            [ParallelGroupKind.Pipeline] = Outermost(t * d, i => (Rank(i % t, i / t, 0), Rank(i % t, i / t, p - 1))),

            // Expert groups are E consecutive data-parallel ranks of one stage (Megatron-Core's default).
            [ParallelGroupKind.Expert] = Outermost(t * p * (d / e), i =>
            {
                var (tensor, rest) = (i % t, i / t);
                var (chunk, pipeline) = (rest % (d / e), rest / (d / e));
                return (Rank(tensor, chunk * e, pipeline), Rank(tensor, chunk * e + e - 1, pipeline));
            }),
        };

        return new PlacementResult
        {
            Succeeded = true,
            RankDevices = devices.Select(x => tree.Devices[x]).ToArray(),
            RankDeviceIds = devices.Select(x => tree.DeviceIds[x]).ToArray(),
            GpuType = gpuType,
            NvlinkDomainsSpanned = Distinct(devices, tree.DeviceDomain),
            NodesSpanned = Distinct(devices, x => tree.DeviceNode[x]),
            RacksSpanned = Distinct(devices, tree.DeviceRack),
            BlocksSpanned = Distinct(devices, tree.DeviceBlock),
            SpannedLevel = tree.CommonLevel(devices[0], devices[^1]),
            GroupLevels = levels,
        };

        TopologyLevel Outermost(int groupCount, Func<int, (int First, int Last)> group)
        {
            var outermost = TopologyLevel.NvlinkDomain;
            for (var i = 0; i < groupCount && outermost < TopologyLevel.Cluster; i++)
            {
                var (first, last) = group(i);
                var level = tree.CommonLevel(devices[first], devices[last]);
                if (level > outermost) outermost = level;
            }

            return outermost;
        }
    }

    /// <summary>Distinct parents of an ascending device list: parents are contiguous, so count the changes.</summary>
    private static int Distinct(int[] devices, Func<int, int> parent)
    {
        var count = 0;
        var previous = -1;
        foreach (var device in devices)
        {
            var current = parent(device);
            if (current != previous) count++;
            previous = current;
        }

        return count;
    }
}
