using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Placement;

/// <summary>
/// Finds devices for one gang on one GPU type. The unit is a tensor slot: <c>tensor</c> eligible free devices in
/// one NVLink domain, so a tensor group never crosses a domain. The search picks the lowest level with one subtree
/// that holds every slot (domain, then rack, then block, then the cluster); among those subtrees the one needing
/// the fewest domains, then the best fit; inside it the fewest domains (largest first, gathered by rack), the
/// remainder best fit. Cost: a pass over the domains plus sorts of the candidate subtrees' domain capacities; no
/// per-device work except taking the chosen devices.
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
            if (index.Topology.TryGetOrdinal(id, out var device) && _avoided.Add(device) && index.IsFreeAt(device))
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

    /// <summary>
    /// Whether <see cref="TryType"/> would place the gang on GPU type <paramref name="type"/>: it does exactly when the
    /// type's tensor slots (eligible free devices of each domain over the tensor size) cover the groups. With nothing
    /// avoided the sum comes from the index's count of domains by free devices, so it costs the size of a domain.
    /// </summary>
    public bool Fits(int type)
    {
        long slots = 0;
        if (_avoidedFreeInDomain.Count == 0)
        {
            var byFree = _index.DomainsByFree(type);
            for (var free = _tensor; free < byFree.Length; free++)
            {
                slots += (long)byFree[free] * (free / _tensor);
            }

            return slots >= _groups;
        }

        for (var k = 0; k < _tree.DomainCount; k++)
        {
            if (_tree.DomainType[k] == type) slots += (_index.DomainFree(k) - _avoidedFreeInDomain.GetValueOrDefault(k)) / _tensor;
        }

        return slots >= _groups;
    }

    /// <summary>Places the gang on GPU type <paramref name="type"/> (an index into the tree's types).</summary>
    /// <returns>The chosen device ordinals in tree order (null when they do not fit); when they do not, what is free of that type.</returns>
    public (int[]? Devices, int FreeSlots, int LargestDomain) TryType(int type)
    {
        if (_avoidedFreeInDomain.Count == 0 && SmallestDomainHolding(type) is { } single)
        {
            // The general search below would choose this same domain (see SmallestDomainHolding) at O(domains) cost.
            var taken = new int[_groups * _tensor];
            var at = 0;
            TakeDevices(single, taken.Length, taken, ref at);
            return (taken, 0, 0);
        }

        var domainCount = _tree.DomainCount;
        var slots = new int[domainCount];
        var eligible = new int[domainCount];
        var largestDomain = 0;
        for (var k = 0; k < domainCount; k++)
        {
            if (_tree.DomainType[k] != type) continue;
            largestDomain = Math.Max(largestDomain, _tree.DomainEndDevice(k) - _tree.DomainFirstDevice(k));
            eligible[k] = _index.DomainFree(k);
        }

        foreach (var (k, avoided) in _avoidedFreeInDomain)
        {
            if (_tree.DomainType[k] == type) eligible[k] -= avoided;
        }

        for (var k = 0; k < domainCount; k++)
        {
            slots[k] = eligible[k] / _tensor;
        }

        var capacity = new Capacity(slots, eligible, _tree);
        if (capacity.Total < _groups) return (null, capacity.Total, largestDomain);

        // Tree order puts consecutive ranks, and so neighbouring slots, as close as the chosen subtrees allow.
        var domains = ChooseDomains(capacity);
        domains.Sort((a, b) => a.Domain.CompareTo(b.Domain));
        var devices = new int[_groups * _tensor];
        var position = 0;
        foreach (var (k, take) in domains)
        {
            TakeDevices(k, take * _tensor, devices, ref position);
        }

        return (devices, capacity.Total, largestDomain);
    }

    /// <summary>
    /// With nothing avoided, the domain <see cref="ChooseDomains"/> picks when one domain holds the gang: the fewest
    /// (slots, free devices) among those with enough slots, the first on ties. Slots are free devices over the tensor
    /// size, so that is the domain with the fewest free devices of at least groups × tensor, the first on ties: found
    /// from the index's per-type counts of domains by free devices, then a scan that stops at the first such domain.
    /// Null when no single domain holds the gang.
    /// </summary>
    private int? SmallestDomainHolding(int type)
    {
        var byFree = _index.DomainsByFree(type);
        var need = (long)_groups * _tensor;
        for (var free = need; free < byFree.Length; free++)
        {
            if (byFree[(int)free] == 0) continue;
            for (var k = 0; k < _tree.DomainCount; k++)
            {
                if (_tree.DomainType[k] == type && _index.DomainFree(k) == free) return k;
            }
        }

        return null;
    }

    /// <summary>The domains to use and how many slots each gives, in the smallest subtree that holds the gang.</summary>
    private List<(int Domain, int Slots)> ChooseDomains(Capacity c)
    {
        var domain = -1;
        for (var k = 0; k < _tree.DomainCount; k++)
        {
            if (c.Slots[k] >= _groups && (domain < 0 || (c.Slots[k], c.Eligible[k]).CompareTo((c.Slots[domain], c.Eligible[domain])) < 0)) domain = k;
        }

        if (domain >= 0) return [(domain, _groups)];
        var rack = BestSubtree(c.RackSlots, c.RackEligible, r => (_tree.RackFirstDomain[r], _tree.RackFirstDomain[r + 1]), c);
        if (rack >= 0) return PickDomains(_tree.RackFirstDomain[rack], _tree.RackFirstDomain[rack + 1], c);
        var block = BestSubtree(c.BlockSlots, c.BlockEligible, BlockDomains, c);
        if (block >= 0)
        {
            var (first, end) = BlockDomains(block);
            return PickDomains(first, end, c);
        }

        return PickDomains(0, _tree.DomainCount, c);
    }

    private (int First, int End) BlockDomains(int block) =>
        (_tree.RackFirstDomain[_tree.BlockFirstRack[block]], _tree.RackFirstDomain[_tree.BlockFirstRack[block + 1]]);

    /// <summary>
    /// Among subtrees of one level that hold the gang, the one needing the fewest domains, then the best fit: the
    /// fewest free slots, then the fewest free devices (what placing there leaves behind is smallest), then the first.
    /// </summary>
    private int BestSubtree(int[] subtreeSlots, int[] subtreeEligible, Func<int, (int First, int End)> domainsOf, Capacity c)
    {
        var best = -1;
        var bestKey = (0, 0, 0);
        for (var s = 0; s < subtreeSlots.Length; s++)
        {
            if (subtreeSlots[s] < _groups) continue;
            var (first, end) = domainsOf(s);
            var key = (DomainsNeeded(first, end, c), subtreeSlots[s], subtreeEligible[s]);
            if (best < 0 || key.CompareTo(bestKey) < 0) (best, bestKey) = (s, key);
        }

        return best;
    }

    /// <summary>The fewest domains of [first, end) whose slots cover the gang: the largest ones first.</summary>
    private int DomainsNeeded(int first, int end, Capacity c)
    {
        var count = 0;
        for (var k = first; k < end; k++)
        {
            if (c.Slots[k] > 0) c.Scratch[count++] = c.Slots[k];
        }

        Array.Sort(c.Scratch, 0, count);
        var (sum, used) = (0, 0);
        while (sum < _groups) sum += c.Scratch[count - 1 - used++];
        return used;
    }

    /// <summary>
    /// Domains of [first, end) covering the gang from the fewest of them: largest first, and among equals those
    /// of the emptier block and rack, so the gang gathers in few racks. The remainder goes to a domain in a rack
    /// (then block) already used, and there to the smallest hole that holds it (best fit), so big holes stay whole.
    /// </summary>
    private List<(int Domain, int Slots)> PickDomains(int first, int end, Capacity c)
    {
        var candidates = new List<int>();
        for (var k = first; k < end; k++)
        {
            if (c.Slots[k] > 0) candidates.Add(k);
        }

        candidates.Sort((a, b) =>
            (c.Slots[b], c.BlockSlots[_tree.RackBlock[_tree.DomainRack[b]]], c.RackSlots[_tree.DomainRack[b]], a)
                .CompareTo((c.Slots[a], c.BlockSlots[_tree.RackBlock[_tree.DomainRack[a]]], c.RackSlots[_tree.DomainRack[a]], b)));
        var chosen = new List<(int Domain, int Slots)>();
        var usedRacks = new HashSet<int>();
        var sum = 0;
        var i = 0;
        for (; sum + c.Slots[candidates[i]] < _groups; i++)
        {
            chosen.Add((candidates[i], c.Slots[candidates[i]]));
            usedRacks.Add(_tree.DomainRack[candidates[i]]);
            sum += c.Slots[candidates[i]];
        }

        var remainder = _groups - sum;
        var usedBlocks = usedRacks.Select(r => _tree.RackBlock[r]).ToHashSet();
        (int, int, int, int, int) Key(int k) =>
            (usedRacks.Contains(_tree.DomainRack[k]) ? 0 : 1, usedBlocks.Contains(_tree.RackBlock[_tree.DomainRack[k]]) ? 0 : 1, c.Slots[k], c.Eligible[k], k);
        var best = candidates[i];
        for (var j = i + 1; j < candidates.Count && c.Slots[candidates[j]] >= remainder; j++)
        {
            if (Key(candidates[j]).CompareTo(Key(best)) < 0) best = candidates[j];
        }

        chosen.Add((best, remainder));
        return chosen;
    }

    /// <summary>Takes <paramref name="count"/> eligible devices of one domain, from the fewest nodes.</summary>
    private void TakeDevices(int domain, int count, int[] devices, ref int position)
    {
        var firstNode = _tree.DomainFirstNode[domain];
        var endNode = _tree.DomainFirstNode[domain + 1];
        var nodes = endNode - firstNode == 1
            ? [(firstNode, count)]
            : PickNodes(Range(firstNode, endNode), NodeEligible(firstNode, endNode), count, offset: firstNode);
        nodes.Sort((a, b) => a.Child.CompareTo(b.Child));
        foreach (var (node, take) in nodes)
        {
            var taken = 0;
            for (var d = _tree.NodeFirstDevice[node]; taken < take; d++)
            {
                if (_index.IsFreeAt(d) && !_avoided.Contains(d))
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
    /// Nodes of a multi-node domain covering <paramref name="need"/> devices from the fewest of them: the fullest
    /// first, and for the remainder the node with the smallest hole that holds it.
    /// </summary>
    /// <param name="nodes">Candidate node ordinals; reordered in place.</param>
    /// <param name="eligible">Eligible free devices per node, indexed by node ordinal minus <paramref name="offset"/>.</param>
    /// <param name="need">Devices wanted; the nodes together hold at least this many.</param>
    /// <param name="offset">Ordinal of the node at index 0 of <paramref name="eligible"/>.</param>
    private static List<(int Child, int Take)> PickNodes(List<int> nodes, int[] eligible, int need, int offset)
    {
        nodes.RemoveAll(n => eligible[n - offset] <= 0);
        nodes.Sort((a, b) => (eligible[b - offset], a).CompareTo((eligible[a - offset], b)));
        var result = new List<(int Child, int Take)>();
        var sum = 0;
        var k = 0;
        for (; sum + eligible[nodes[k] - offset] < need; k++)
        {
            result.Add((nodes[k], eligible[nodes[k] - offset]));
            sum += eligible[nodes[k] - offset];
        }

        var remainder = need - sum;
        var best = nodes[k];
        for (var j = k + 1; j < nodes.Count && eligible[nodes[j] - offset] >= remainder; j++)
        {
            if (eligible[nodes[j] - offset] < eligible[best - offset]) best = nodes[j];
        }

        result.Add((best, remainder));
        return result;
    }

    private static List<int> Range(int first, int end) => Enumerable.Range(first, end - first).ToList();

    /// <summary>Tensor slots and eligible free devices of one GPU type, per domain and summed per rack and block.</summary>
    private sealed class Capacity
    {
        public Capacity(int[] slots, int[] eligible, TopologyTree tree)
        {
            Slots = slots;
            Eligible = eligible;
            RackSlots = new int[tree.RackCount];
            RackEligible = new int[tree.RackCount];
            BlockSlots = new int[tree.BlockCount];
            BlockEligible = new int[tree.BlockCount];
            for (var k = 0; k < slots.Length; k++)
            {
                var rack = tree.DomainRack[k];
                RackSlots[rack] += slots[k];
                RackEligible[rack] += eligible[k];
                BlockSlots[tree.RackBlock[rack]] += slots[k];
                BlockEligible[tree.RackBlock[rack]] += eligible[k];
                Total += slots[k];
            }

            Scratch = new int[slots.Length];
        }

        public int[] Slots { get; }

        public int[] Eligible { get; }

        public int[] RackSlots { get; }

        public int[] RackEligible { get; }

        public int[] BlockSlots { get; }

        public int[] BlockEligible { get; }

        public int Total { get; }

        /// <summary>Room for sorting domain capacities without allocating per subtree.</summary>
        public int[] Scratch { get; }
    }
}
