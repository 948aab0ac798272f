using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Planning.Topology;

/// <summary>
/// Reads a <c>kind: Inventory</c> document (see <c>docs/topology.md</c>) into a <see cref="ClusterTopology"/>.
/// </summary>
/// <example>
/// <code>
/// apiVersion: orchestrator/v1
/// kind: Inventory
/// metadata: { name: h100-4x8 }
/// spec:
///   links: { nvlink: { bandwidth: 450, latency: 2 }, rack: { bandwidth: 50, latency: 5 } }
///   blocks:
///     - name: b0
///       racks:
///         - { name: r0, nodes: 8, gpusPerNode: 8, gpuType: h100-80gb }
/// </code>
/// </example>
public static class InventoryDocument
{
    /// <summary>The only <c>apiVersion</c> understood.</summary>
    public const string ApiVersion = "orchestrator/v1";

    /// <summary>The document's <c>kind</c>.</summary>
    public const string Kind = "Inventory";

    private static readonly Dictionary<string, TopologyLevel> LinkKeys = new(StringComparer.Ordinal)
    {
        ["nvlink"] = TopologyLevel.NvlinkDomain,
        ["node"] = TopologyLevel.Node,
        ["rack"] = TopologyLevel.Rack,
        ["block"] = TopologyLevel.Block,
        ["cluster"] = TopologyLevel.Cluster,
    };

    /// <summary>Parses an inventory.</summary>
    /// <param name="yaml">The document text.</param>
    /// <param name="sourceName">Where the text came from (a file name), used in error messages.</param>
    /// <exception cref="InventoryException">The document is malformed or describes an impossible cluster.</exception>
    public static ClusterTopology Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        var reader = new YamlFieldReader(sourceName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InventoryException(sourceName, null, checked((int)e.Start.Line), $"malformed YAML: {InnermostMessage(e)}", innerException: e);
        }

        if (stream.Documents.Count == 0) throw new InventoryException(sourceName, null, null, "the document is empty");
        if (stream.Documents.Count > 1)
        {
            throw reader.Error("", stream.Documents[1].RootNode, $"expected one {Kind} document, found {stream.Documents.Count}");
        }

        var root = reader.Mapping(stream.Documents[0].RootNode, "");
        var fields = reader.Fields(root, "", "apiVersion", "kind", "metadata", "spec");
        Expect(reader, reader.Required(fields, root, "", "apiVersion"), "apiVersion", ApiVersion);
        Expect(reader, reader.Required(fields, root, "", "kind"), "kind", Kind);
        var metadata = reader.Mapping(reader.Required(fields, root, "", "metadata"), "metadata");
        var metadataFields = reader.Fields(metadata, "metadata", "name");
        var name = reader.Name(reader.Required(metadataFields, metadata, "metadata", "name"), "metadata.name", allowDots: true);

        var spec = reader.Mapping(reader.Required(fields, root, "", "spec"), "spec");
        var specFields = reader.Fields(spec, "spec", "links", "blocks");
        var links = specFields.TryGetValue("links", out var linksNode) ? ReadLinks(reader, linksNode) : null;
        var nodes = new InventoryRackReader(reader).ReadBlocks(reader.Required(specFields, spec, "spec", "blocks"), "spec.blocks");
        try
        {
            return new ClusterTopology(name, nodes, links);
        }
        catch (ArgumentException e)
        {
            // The readers check everything ClusterTopology checks; this keeps the one error type if the two drift apart.
            throw new InventoryException(sourceName, "spec", checked((int)spec.Start.Line), e.Message, innerException: e);
        }
    }

    /// <summary>Reads and parses an inventory file.</summary>
    /// <exception cref="InventoryException">The file cannot be read or its document is invalid.</exception>
    public static ClusterTopology Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InventoryException(path, null, null, $"cannot read the inventory: {e.Message}", innerException: e);
        }

        return Parse(text, path);
    }

    private static void Expect(YamlFieldReader reader, YamlNode node, string path, string expected)
    {
        var value = reader.Text(node, path);
        if (value != expected) throw reader.Error(path, node, $"expected '{expected}', got '{value}'");
    }

    private static Dictionary<TopologyLevel, LinkProfile> ReadLinks(YamlFieldReader reader, YamlNode node)
    {
        var mapping = reader.Mapping(node, "spec.links");
        var links = new Dictionary<TopologyLevel, LinkProfile>();
        foreach (var (key, value) in reader.Fields(mapping, "spec.links", [.. LinkKeys.Keys]))
        {
            var path = $"spec.links.{key}";
            var link = reader.Mapping(value, path);
            var linkFields = reader.Fields(link, path, "bandwidth", "latency");
            var bandwidth = reader.Number(reader.Required(linkFields, link, path, "bandwidth"), path + ".bandwidth", allowZero: false);
            var latency = reader.Number(reader.Required(linkFields, link, path, "latency"), path + ".latency", allowZero: true);
            links[LinkKeys[key]] = new LinkProfile(bandwidth, latency);
        }

        return links;
    }

    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
