using System.Globalization;
using Orchestrator.Planning.Hardware;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Planning.Topology;

/// <summary>
/// Reads <c>spec.blocks</c>: blocks of racks, each rack either <c>nodes: N</c> (names generated as
/// <c>block-rack-nNN</c>) or an explicit list of nodes, with per-rack GPU type, devices per node and NVLink domain.
/// </summary>
internal sealed class InventoryRackReader(YamlFieldReader reader)
{
    private const string DomainPerNode = "node";
    private const string DomainPerRack = "rack";

    /// <summary>Where each node name was first defined, to name both places when a name repeats.</summary>
    private readonly Dictionary<string, (string Path, YamlNode Node)> _nodeNames = new(StringComparer.Ordinal);

    public List<NodeDescription> ReadBlocks(YamlNode node, string path)
    {
        var nodes = new List<NodeDescription>();
        var blockNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var blocks = reader.Sequence(node, path);
        for (var b = 0; b < blocks.Children.Count; b++)
        {
            var blockPath = $"{path}[{b}]";
            var block = reader.Mapping(blocks.Children[b], blockPath);
            var fields = reader.Fields(block, blockPath, "name", "racks");
            var nameNode = reader.Required(fields, block, blockPath, "name");
            var name = reader.Name(nameNode, blockPath + ".name", allowDots: false);
            if (!blockNames.TryAdd(name, blockPath))
            {
                throw reader.Error(blockPath + ".name", nameNode, $"duplicate block name '{name}'", $"first used by {blockNames[name]}");
            }

            ReadRacks(reader.Required(fields, block, blockPath, "racks"), blockPath + ".racks", name, nodes);
        }

        return nodes;
    }

    private void ReadRacks(YamlNode node, string path, string block, List<NodeDescription> nodes)
    {
        var rackNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var racks = reader.Sequence(node, path);
        for (var r = 0; r < racks.Children.Count; r++)
        {
            var rackPath = $"{path}[{r}]";
            var rack = reader.Mapping(racks.Children[r], rackPath);
            var fields = reader.Fields(rack, rackPath, "name", "nodes", "gpuType", "gpusPerNode", "nvlinkDomain");
            var nameNode = reader.Required(fields, rack, rackPath, "name");
            var name = reader.Name(nameNode, rackPath + ".name", allowDots: false);
            if (!rackNames.TryAdd(name, rackPath))
            {
                throw reader.Error(rackPath + ".name", nameNode, $"duplicate rack name '{name}' in block '{block}'", $"first used by {rackNames[name]}");
            }

            var defaults = new RackDefaults(
                block,
                name,
                rackPath,
                rack,
                fields.TryGetValue("gpuType", out var typeNode) ? GpuType(typeNode, rackPath + ".gpuType") : null,
                fields.TryGetValue("gpusPerNode", out var countNode) ? reader.PositiveInt(countNode, rackPath + ".gpusPerNode") : null,
                fields.TryGetValue("nvlinkDomain", out var domainNode) && DomainMode(domainNode, rackPath + ".nvlinkDomain") ? $"{block}/{name}" : null);
            var nodesNode = reader.Required(fields, rack, rackPath, "nodes");
            var first = nodes.Count;
            if (nodesNode is YamlScalarNode)
            {
                GenerateNodes(nodesNode, defaults, nodes);
            }
            else
            {
                var list = reader.Sequence(nodesNode, rackPath + ".nodes");
                for (var n = 0; n < list.Children.Count; n++)
                {
                    nodes.Add(ReadNode(list.Children[n], $"{rackPath}.nodes[{n}]", defaults));
                }
            }

            if (defaults.RackDomain is not null) CheckOneType(nodes, first, nodesNode, rackPath);
        }
    }

    /// <summary><c>nodes: N</c>: names <c>block-rack-nNN</c>, wide enough for N.</summary>
    private void GenerateNodes(YamlNode countNode, RackDefaults rack, List<NodeDescription> nodes)
    {
        var path = rack.Path + ".nodes";
        var count = reader.PositiveInt(countNode, path);
        var type = rack.GpuType ?? throw reader.Error(rack.Path + ".gpuType", rack.Node, "missing required field", "needed when 'nodes' is a count");
        var gpus = rack.GpusPerNode ?? throw reader.Error(rack.Path + ".gpusPerNode", rack.Node, "missing required field", "needed when 'nodes' is a count");
        var format = "D" + Math.Max(2, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        for (var i = 0; i < count; i++)
        {
            var name = $"{rack.Block}-{rack.Name}-n{i.ToString(format, CultureInfo.InvariantCulture)}";
            Claim(name, path, countNode);
            nodes.Add(new NodeDescription(name, rack.Block, rack.Name, rack.RackDomain ?? name, type, gpus));
        }
    }

    /// <summary>One entry of an explicit node list: just a name, or a mapping that may override the rack's defaults.</summary>
    private NodeDescription ReadNode(YamlNode node, string path, RackDefaults rack)
    {
        var entryPath = path;
        var nameNode = node;
        var type = rack.GpuType;
        var gpus = rack.GpusPerNode;
        if (node is YamlMappingNode mapping)
        {
            var fields = reader.Fields(mapping, path, "name", "gpus", "gpuType");
            nameNode = reader.Required(fields, mapping, path, "name");
            if (fields.TryGetValue("gpuType", out var typeNode)) type = GpuType(typeNode, path + ".gpuType");
            if (fields.TryGetValue("gpus", out var gpusNode)) gpus = reader.PositiveInt(gpusNode, path + ".gpus");
            path += ".name";
        }

        var name = reader.Name(nameNode, path, allowDots: true);
        Claim(name, path, nameNode);
        if (type is null) throw reader.Error(rack.Path + ".gpuType", rack.Node, "missing required field", $"set it on the rack or on {entryPath}");
        if (gpus is null) throw reader.Error(rack.Path + ".gpusPerNode", rack.Node, "missing required field", $"set it on the rack or as gpus on {entryPath}");
        return new NodeDescription(name, rack.Block, rack.Name, rack.RackDomain ?? name, type, gpus.Value);
    }

    private void CheckOneType(List<NodeDescription> nodes, int first, YamlNode nodesNode, string rackPath)
    {
        for (var i = first + 1; i < nodes.Count; i++)
        {
            if (nodes[i].GpuType != nodes[first].GpuType)
            {
                throw reader.Error(rackPath + ".nvlinkDomain", nodesNode,
                    $"one NVLink domain per rack needs one GPU type, but node '{nodes[first].Name}' has {nodes[first].GpuType} and '{nodes[i].Name}' has {nodes[i].GpuType}");
            }
        }
    }

    private void Claim(string nodeName, string path, YamlNode node)
    {
        if (!_nodeNames.TryAdd(nodeName, (path, node)))
        {
            var (firstPath, firstNode) = _nodeNames[nodeName];
            throw reader.Error(path, node, $"duplicate node name '{nodeName}'", $"first defined at {firstPath} (line {firstNode.Start.Line})");
        }
    }

    private string GpuType(YamlNode node, string path)
    {
        var text = reader.Text(node, path);
        return HardwareCatalog.TryGet(text, out var model)
            ? model.Name
            : throw reader.Error(path, node, $"unknown GPU type '{text}'", $"known: {string.Join(", ", HardwareCatalog.All.Select(m => m.Name))}");
    }

    private bool DomainMode(YamlNode node, string path) => reader.Text(node, path) switch
    {
        DomainPerNode => false,
        DomainPerRack => true,
        var other => throw reader.Error(path, node, $"unknown NVLink domain mode '{other}'", $"allowed: {DomainPerNode} (each node is a domain), {DomainPerRack} (the whole rack is one domain)"),
    };

    /// <summary>
    /// What a rack gives its nodes unless a node says otherwise, and where the rack is for errors. RackDomain is
    /// the rack-wide NVLink domain id, or null when each node is its own domain.
    /// </summary>
    private sealed record RackDefaults(string Block, string Name, string Path, YamlMappingNode Node, string? GpuType, int? GpusPerNode, string? RackDomain);
}
