using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Placement;

/// <summary>
/// Places a gang's ranks on free devices by topology: all ranks or none; each tensor-parallel group inside one
/// NVLink domain; the gang in the smallest subtree that holds it (best fit), then the fewest domains, nodes, racks
/// and blocks; ranks in Megatron-LM order so that tensor groups share a domain, neighbouring pipeline stages sit next
/// to each other and data-parallel groups span the lowest level possible. See <c>docs/topology.md</c>.
/// </summary>
public static class RankPlacer
{
    /// <summary>Finds devices for every rank of <paramref name="request"/>. Does not change <paramref name="index"/>.</summary>
    /// <returns>The placement, or a failure whose reason says what was needed and what is free.</returns>
    /// <exception cref="ArgumentException">The layout is malformed or the GPU type is not in the catalog.</exception>
    public static PlacementResult Place(FreeCapacityIndex index, GangRequest request)
    {
        var (types, missing) = TypesFor(index, request);
        if (missing is not null) return missing;
        var tree = index.Tree;
        var layout = request.Layout;

        // Context ranks replicate the tensor group like data ranks do (Megatron order: tensor, context, data, pipeline).
        var groups = layout.Pipeline * layout.Context * layout.Data;
        var search = new GangSearch(index, layout.Tensor, groups, request.AvoidDeviceIds);
        PlacementResult? best = null;
        var shortfalls = new List<string>();
        foreach (var type in types)
        {
            var (devices, freeSlots, largestDomain) = search.TryType(type);
            if (devices is null)
            {
                shortfalls.Add(Shortfall(index, search, type, layout.Tensor, freeSlots, largestDomain));
                continue;
            }

            var candidate = PlacementSummary.Describe(tree, layout, devices, tree.GpuTypes[type]);
            if (best is null || Tighter(candidate, best)) best = candidate;
        }

        if (best is not null) return best;
        var what = request.GpuType is null ? $"{layout.WorldSize} devices of one GPU type" : $"{layout.WorldSize} {tree.GpuTypes[types[0]]} devices";
        return PlacementResult.Failure(
            $"needs {what} in tensor groups of {layout.Tensor} within one NVLink domain ({groups} {(groups == 1 ? "group" : "groups")} for layout {layout}); {string.Join("; ", shortfalls)}");
    }

    /// <summary>
    /// Whether <see cref="Place"/> would succeed, without choosing or describing devices: a search that only needs yes
    /// or no (a reservation's binary search over future capacity) costs a count per NVLink domain instead of a placement.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Place"/>: the layout is malformed or the GPU type is not in the catalog.</exception>
    public static bool Fits(FreeCapacityIndex index, GangRequest request)
    {
        var (types, missing) = TypesFor(index, request);
        if (missing is not null) return false;
        var layout = request.Layout;
        var search = new GangSearch(index, layout.Tensor, layout.Pipeline * layout.Context * layout.Data, request.AvoidDeviceIds);
        return types.Any(search.Fits);
    }

    /// <summary>The tree's GPU types the request may use, or the failure when the cluster has none of its type.</summary>
    private static (int[] Types, PlacementResult? Missing) TypesFor(FreeCapacityIndex index, GangRequest request)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Layout, nameof(request));
        if (request.Layout.Validate() is { } error) throw new ArgumentException(error, nameof(request));
        var tree = index.Tree;
        if (request.GpuType is null) return (Enumerable.Range(0, tree.GpuTypes.Length).ToArray(), null);
        if (!HardwareCatalog.TryGet(request.GpuType, out var model))
        {
            throw new ArgumentException(
                $"unknown GPU type '{request.GpuType}'; known: {string.Join(", ", HardwareCatalog.All.Select(m => m.Name))}", nameof(request));
        }

        var type = Array.IndexOf(tree.GpuTypes, model.Name);
        return type < 0
            ? ([], PlacementResult.Failure(
                $"needs {request.Layout.WorldSize} {model.Name} devices; cluster '{index.Topology.Name}' has none (it has {string.Join(", ", tree.GpuTypes)})"))
            : ([type], null);
    }

    /// <summary>Whether placement a is tighter than b: a lower spanned level, then fewer domains, nodes, racks, blocks.</summary>
    private static bool Tighter(PlacementResult a, PlacementResult b) =>
        (a.SpannedLevel, a.NvlinkDomainsSpanned, a.NodesSpanned, a.RacksSpanned, a.BlocksSpanned)
            .CompareTo((b.SpannedLevel, b.NvlinkDomainsSpanned, b.NodesSpanned, b.RacksSpanned, b.BlocksSpanned)) < 0;

    private static string Shortfall(FreeCapacityIndex index, GangSearch search, int type, int tensor, int freeSlots, int largestDomain)
    {
        var name = index.Tree.GpuTypes[type];
        if (largestDomain < tensor)
        {
            return $"{name}: a tensor group of {tensor} cannot fit, the largest {name} NVLink domain has {largestDomain} devices";
        }

        var avoided = search.AvoidedFreeCount(type);
        var avoidNote = avoided > 0 ? $", {avoided} of them avoided" : "";
        return $"{name}: {freeSlots} such groups are free ({index.TypeFree(type)} {name} devices free in all{avoidNote})";
    }
}
