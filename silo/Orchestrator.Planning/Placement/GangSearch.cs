using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Placement;

/// <summary>
/// Finds devices for one gang on one GPU type. The unit is a tensor slot: <c>tensor</c> eligible free devices in
/// one NVLink domain, so a tensor group never crosses a domain. The search picks the lowest level with one subtree
/// that holds every slot (domain, then rack, then block, then the cluster), best fit among those, and inside it the
/// fewest children at each level: largest first, the last one best fit. Cost: one pass over domains and racks plus
/// a sort of the children of the chosen subtrees; no per-device work except taking the chosen devices.
/// </summary>
internal sealed class GangSearch
{
    private readonly FreeCapacityIndex _index;
    private readonly TopologyTree _tree;
    private readonly int _tensor;
    private readonly int _groups;
    private readonly HashSet<int> _avoided = [];
    private readonly Dictionary<int, int> _avoidedFreeInDomain = [];
    private readonly Dictionary<int, int> _avoidedFreeInNode = [];

    /// <param name="index">Free devices.</param>
    /// <param name="tensor">Tensor-parallel size: devices per slot.</param>
    /// <param name="groups">Slots needed: pipeline x data.</param>
    /// <param name="avoid">Device ids not to use; unknown ids are ignored.</param>
    public GangSearch(FreeCapacityIndex index, int tensor, int groups, IEnumerable<string>? avoid)
    {
        _index = index;
        _tree = index.Tree;
        _tensor = tensor;
        _groups = groups;
        foreach (var id in avoid ?? [])
        {
            // Only free devices reduce capacity; busy ones are not counted as free in the first place.
            if (index.Topology.TryGetOrdinal(id, out var device) && _avoided.Add(device) && index.IsFreeOrdinal(device))
            {
                var node = _tree.DeviceNode[device];
                _avoidedFreeInNode[node] = _avoidedFreeInNode.GetValueOrDefault(node) + 1;
                _avoidedFreeInDomain[_tree.NodeDomain[node]] = _avoidedFreeInDomain.GetValueOrDefault(_tree.NodeDomain[node]) + 1;
            }
        }
    }

    /// <summary>Free devices in avoided positions (for failure reasons).</summary>
    public int AvoidedFreeCount(int type) =>
        _avoidedFreeInDomain.Where(p => _tree.DomainType[p.Key] == type).Sum(p => p.Value);

    /// <summary>Places the gang on GPU type <paramref name="type"/> (an index into the tree's types).</summary>
    /// <returns>The chosen device ordinals in tree order (null when they do not fit) and what is free of that type.</returns>
    public (int[]? Devices, int FreeSlots, int LargestDomain) TryType(int type)
    {
        var domainCount = _tree.DomainCount;
        var slots = new int[domainCount];
        var eligible = new int[domainCount];
        var largestDomain = 0;
        for (var k = 0; k < domainCount; k++)
        {
            if (_tree.DomainType[k] != type) continue;
            largestDomain = Math.Max(largestDomain, _tree.DomainEndDevice(k) - _tree.DomainFirstDevice(k));
            eligible[k] = _index.DomainFree(k) - _avoidedFreeInDomain.GetValueOrDefault(k);
            slots[k] = eligible[k] / _tensor;
        }

        var rackSlots = new int[_tree.RackCount];
        var rackEligible = new int[_tree.RackCount];
        Roll(slots, eligible, _tree.RackFirstDomain, rackSlots, rackEligible);
        var blockSlots = new int[_tree.BlockCount];
        var blockEligible = new int[_tree.BlockCount];
        Roll(rackSlots, rackEligible, _tree.BlockFirstRack, blockSlots, blockEligible);
        var total = blockSlots.Sum();
        if (total < _groups) return (null, total, largestDomain);

        var domains = new List<(int Domain, int Slots)>();
        var domain = BestFit(0, domainCount, slots, eligible, _groups);
        if (domain >= 0)
        {
            domains.Add((domain, _groups));
        }
        else if (BestFit(0, _tree.RackCount, rackSlots, rackEligible, _groups) is var rack and >= 0)
        {
            PickDomainsOfRack(rack, _groups, slots, eligible, domains);
        }
        else if (BestFit(0, _tree.BlockCount, blockSlots, blockEligible, _groups) is var block and >= 0)
        {
            PickDomainsOfBlock(block, _groups, rackSlots, rackEligible, slots, eligible, domains);
        }
        else
        {
            foreach (var (b, take) in Pick(Range(0, _tree.BlockCount), blockSlots, blockEligible, _groups))
            {
                PickDomainsOfBlock(b, take, rackSlots, rackEligible, slots, eligible, domains);
            }
        }

        // Tree order puts consecutive ranks, and so neighbouring slots, as close as the chosen subtrees allow.
        domains.Sort((a, b) => a.Domain.CompareTo(b.Domain));
        var devices = new int[_groups * _tensor];
        var position = 0;
        foreach (var (k, take) in domains)
        {
            TakeDevices(k, take * _tensor, devices, ref position);
        }

        return (devices, total, largestDomain);
    }

    private void PickDomainsOfBlock(int block, int need, int[] rackSlots, int[] rackEligible, int[] slots, int[] eligible, List<(int, int)> output)
    {
        foreach (var (rack, take) in Pick(Range(_tree.BlockFirstRack[block], _tree.BlockFirstRack[block + 1]), rackSlots, rackEligible, need))
        {
            PickDomainsOfRack(rack, take, slots, eligible, output);
        }
    }

    private void PickDomainsOfRack(int rack, int need, int[] slots, int[] eligible, List<(int, int)> output) =>
        output.AddRange(Pick(Range(_tree.RackFirstDomain[rack], _tree.RackFirstDomain[rack + 1]), slots, eligible, need));

    /// <summary>Takes <paramref name="count"/> eligible devices of one domain, from the fewest nodes.</summary>
    private void TakeDevices(int domain, int count, int[] devices, ref int position)
    {
        var firstNode = _tree.DomainFirstNode[domain];
        var endNode = _tree.DomainFirstNode[domain + 1];
        var nodes = endNode - firstNode == 1
            ? [(firstNode, count)]
            : Pick(Range(firstNode, endNode), NodeEligible(firstNode, endNode), null, count, offset: firstNode);
        nodes.Sort((a, b) => a.Child.CompareTo(b.Child));
        foreach (var (node, take) in nodes)
        {
            var taken = 0;
            for (var d = _tree.NodeFirstDevice[node]; taken < take; d++)
            {
                if (_index.IsFreeOrdinal(d) && !_avoided.Contains(d))
                {
                    devices[position++] = d;
                    taken++;
                }
            }
        }
    }

    private int[] NodeEligible(int firstNode, int endNode)
    {
        var eligible = new int[endNode - firstNode];
        for (var n = firstNode; n < endNode; n++)
        {
            eligible[n - firstNode] = _index.NodeFree(n) - _avoidedFreeInNode.GetValueOrDefault(n);
        }

        return eligible;
    }

    /// <summary>
    /// Children covering <paramref name="need"/> units from the fewest of them: the largest first, and for the
    /// remainder the smallest child that still holds it (best fit), so big holes stay whole for big gangs.
    /// </summary>
    /// <param name="children">Candidate child ordinals; reordered in place.</param>
    /// <param name="capacity">Units each child holds, indexed by child ordinal minus <paramref name="offset"/>.</param>
    /// <param name="tieBreak">Free devices per child: among equal capacities, the one with less stranded is better.</param>
    /// <param name="need">Units wanted; the children together must hold at least this many.</param>
    /// <param name="offset">Ordinal of the child at index 0 of the arrays.</param>
    private static List<(int Child, int Take)> Pick(List<int> children, int[] capacity, int[]? tieBreak, int need, int offset = 0)
    {
        children.RemoveAll(c => capacity[c - offset] <= 0);
        children.Sort((a, b) => capacity[b - offset] != capacity[a - offset] ? capacity[b - offset].CompareTo(capacity[a - offset]) : a.CompareTo(b));
        var result = new List<(int Child, int Take)>();
        var sum = 0;
        var k = 0;
        while (sum + capacity[children[k] - offset] < need)
        {
            result.Add((children[k], capacity[children[k] - offset]));
            sum += capacity[children[k] - offset];
            k++;
        }

        var remainder = need - sum;
        var best = children[k];
        for (var j = k + 1; j < children.Count && capacity[children[j] - offset] >= remainder; j++)
        {
            if (Better(children[j] - offset, best - offset, capacity, tieBreak)) best = children[j];
        }

        result.Add((best, remainder));
        return result;
    }

    /// <summary>The best-fitting single child in [first, end) that holds <paramref name="need"/>, or -1.</summary>
    private static int BestFit(int first, int end, int[] capacity, int[] tieBreak, int need)
    {
        var best = -1;
        for (var c = first; c < end; c++)
        {
            if (capacity[c] >= need && (best < 0 || Better(c, best, capacity, tieBreak))) best = c;
        }

        return best;
    }

    /// <summary>Whether child a leaves less behind than child b: fewer units, then fewer free devices, then earlier.</summary>
    private static bool Better(int a, int b, int[] capacity, int[]? tieBreak)
    {
        if (capacity[a] != capacity[b]) return capacity[a] < capacity[b];
        if (tieBreak is not null && tieBreak[a] != tieBreak[b]) return tieBreak[a] < tieBreak[b];
        return a < b;
    }

    /// <summary>Sums child figures into their parents; <paramref name="firstChild"/> has one extra entry (the end).</summary>
    private static void Roll(int[] childSlots, int[] childEligible, int[] firstChild, int[] parentSlots, int[] parentEligible)
    {
        for (var p = 0; p < parentSlots.Length; p++)
        {
            for (var c = firstChild[p]; c < firstChild[p + 1]; c++)
            {
                parentSlots[p] += childSlots[c];
                parentEligible[p] += childEligible[c];
            }
        }
    }

    private static List<int> Range(int first, int end) => Enumerable.Range(first, end - first).ToList();
}
