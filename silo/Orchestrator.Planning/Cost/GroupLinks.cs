using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Cost;

/// <summary>The link each kind of parallel group's traffic uses: that of the outermost topology level the group crosses.</summary>
/// <param name="Tensor">Link of tensor-parallel collectives (all-reduce, or reduce-scatter and all-gather).</param>
/// <param name="Pipeline">Link between neighbouring pipeline stages.</param>
/// <param name="Data">Link of the data-parallel gradient reduction.</param>
/// <param name="Expert">Link of the expert-parallel all-to-all.</param>
public sealed record GroupLinks(LinkProfile Tensor, LinkProfile Pipeline, LinkProfile Data, LinkProfile Expert)
{
    /// <summary>
    /// Members of one data-parallel group that sit in the same node. NCCL runs one ring per network card, so a
    /// group with k members per node crosses the node boundary over k cards at once: k times one card's bandwidth.
    /// </summary>
    public int DataRanksPerNode { get; init; } = 1;

    /// <summary>Members of one expert-parallel group that sit in the same node (same reasoning as <see cref="DataRanksPerNode"/>).</summary>
    public int ExpertRanksPerNode { get; init; } = 1;

    /// <summary>Link of the context-parallel ring (key/value exchange); the tensor link when not given (c = 1, or a ring inside the NVLink domain).</summary>
    public LinkProfile Context
    {
        get => _context ?? Tensor;
        init => _context = value;
    }

    private readonly LinkProfile? _context;

    /// <summary>
    /// Builds the links from a per-level link table, given the outermost level each group kind crosses (what a
    /// placement reports). A level missing from the table takes the next outer level that is present.
    /// </summary>
    /// <param name="links">Link per topology level; must hold at least one level at or outside every level asked for.</param>
    /// <param name="tensorLevel">Outermost level a tensor group crosses.</param>
    /// <param name="pipelineLevel">Outermost level between neighbouring pipeline stages.</param>
    /// <param name="dataLevel">Outermost level a data-parallel group crosses.</param>
    /// <param name="expertLevel">Outermost level an expert-parallel group crosses.</param>
    /// <param name="dataRanksPerNode">Data-parallel group members per node.</param>
    /// <param name="expertRanksPerNode">Expert-parallel group members per node.</param>
    /// <exception cref="ArgumentException">The table has no link at or outside one of the levels.</exception>
    public static GroupLinks FromLevels(
        IReadOnlyDictionary<TopologyLevel, LinkProfile> links,
        TopologyLevel tensorLevel,
        TopologyLevel pipelineLevel,
        TopologyLevel dataLevel,
        TopologyLevel expertLevel,
        int dataRanksPerNode = 1,
        int expertRanksPerNode = 1)
    {
        ArgumentNullException.ThrowIfNull(links);
        return new GroupLinks(Resolve(links, tensorLevel), Resolve(links, pipelineLevel), Resolve(links, dataLevel), Resolve(links, expertLevel))
        {
            DataRanksPerNode = Math.Max(1, dataRanksPerNode),
            ExpertRanksPerNode = Math.Max(1, expertRanksPerNode),
        };
    }

    /// <summary>The link traffic crossing <paramref name="level"/> uses: that level's, or the next outer level's when the table skips it.</summary>
    /// <exception cref="ArgumentException">No level at or outside <paramref name="level"/> is in the table.</exception>
    public static LinkProfile Resolve(IReadOnlyDictionary<TopologyLevel, LinkProfile> links, TopologyLevel level)
    {
        ArgumentNullException.ThrowIfNull(links);
        for (var candidate = level; candidate <= TopologyLevel.Cluster; candidate++)
        {
            if (links.TryGetValue(candidate, out var link)) return link;
        }

        throw new ArgumentException(
            $"links has no entry for topology level {level} or any level outside it; levels given: {string.Join(", ", links.Keys.Order())}",
            nameof(links));
    }
}
