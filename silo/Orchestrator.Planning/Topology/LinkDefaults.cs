using Orchestrator.Planning.Hardware;

namespace Orchestrator.Planning.Topology;

/// <summary>
/// The links a cluster gets for the levels its inventory does not describe: NVLink bandwidth inside an NVLink
/// domain, the scale-out network bandwidth for every level above it, and latencies of a few microseconds that grow
/// with each switch hop.
/// </summary>
public static class LinkDefaults
{
    /// <summary>Nominal one-way latencies in microseconds by level: NVSwitch, host, leaf, spine, core.</summary>
    private static readonly double[] LatencyMicroseconds = [2, 3, 5, 8, 12];

    /// <summary>
    /// Default links for a cluster made of <paramref name="gpuTypes"/>. Where types differ, each level takes the
    /// slowest model's figure: a collective runs at the pace of its slowest member.
    /// </summary>
    /// <exception cref="ArgumentException">No type given, or a type is not in the catalog.</exception>
    public static IReadOnlyDictionary<TopologyLevel, LinkProfile> For(IEnumerable<string> gpuTypes)
    {
        var models = gpuTypes.Distinct(StringComparer.OrdinalIgnoreCase).Select(HardwareCatalog.Get).ToList();
        if (models.Count == 0)
        {
            throw new ArgumentException("at least one GPU type is needed to derive default links", nameof(gpuTypes));
        }

        var nvlink = models.Min(m => m.NvlinkGBps);
        var network = models.Min(m => m.NetworkGBps);
        return Enum.GetValues<TopologyLevel>().ToDictionary(
            level => level,
            level => new LinkProfile(level == TopologyLevel.NvlinkDomain ? nvlink : network, LatencyMicroseconds[(int)level]));
    }

    /// <summary>Default links for a cluster of one GPU type.</summary>
    public static IReadOnlyDictionary<TopologyLevel, LinkProfile> For(string gpuType) => For([gpuType]);
}
