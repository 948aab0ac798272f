using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Planning.Topology;

/// <summary>
/// Reads fields of a YAML document strictly: every value is checked for shape and range, unknown fields are
/// rejected, and every error carries the field path and line.
/// </summary>
internal sealed partial class YamlFieldReader(string sourceName)
{
    public static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    public InventoryException Error(string path, YamlNode? node, string problem, string? hint = null) =>
        new(sourceName, path, node is null ? null : checked((int)node.Start.Line), problem, hint);

    public YamlMappingNode Mapping(YamlNode node, string path) =>
        node as YamlMappingNode ?? throw Error(path, node, $"expected a mapping, got {Describe(node)}");

    public YamlSequenceNode Sequence(YamlNode node, string path, bool allowEmpty = false)
    {
        var sequence = node as YamlSequenceNode ?? throw Error(path, node, $"expected a list, got {Describe(node)}");
        if (!allowEmpty && sequence.Children.Count == 0) throw Error(path, node, "must list at least one entry");
        return sequence;
    }

    /// <summary>The mapping's fields by name; an unknown or repeated field is an error.</summary>
    public Dictionary<string, YamlNode> Fields(YamlMappingNode mapping, string path, params string[] allowed)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw Error(path, keyNode, "field names must be plain text");
            }

            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                throw Error(Join(path, key), keyNode, "unknown field", $"allowed: {string.Join(", ", allowed)}");
            }

            if (!fields.TryAdd(key, value)) throw Error(Join(path, key), keyNode, "field given twice");
        }

        return fields;
    }

    public YamlNode Required(Dictionary<string, YamlNode> fields, YamlMappingNode mapping, string path, string field) =>
        fields.TryGetValue(field, out var node) ? node : throw Error(Join(path, field), mapping, "missing required field");

    public string Text(YamlNode node, string path)
    {
        if (node is not YamlScalarNode scalar) throw Error(path, node, $"expected a value, got {Describe(node)}");
        if (string.IsNullOrWhiteSpace(scalar.Value)) throw Error(path, node, "must not be empty");
        return scalar.Value;
    }

    public int PositiveInt(YamlNode node, string path)
    {
        var text = Text(node, path);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(path, node, $"expected a whole number, got '{text}'");
        }

        if (value < 1) throw Error(path, node, $"must be at least 1, got {value}");
        if (value > 1_000_000) throw Error(path, node, $"must be at most 1000000, got {value}");
        return (int)value;
    }

    public double Number(YamlNode node, string path, bool allowZero)
    {
        var text = Text(node, path);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(path, node, $"expected a number, got '{text}'");
        }

        if (allowZero ? value < 0 : value <= 0)
        {
            throw Error(path, node, $"must be {(allowZero ? "zero or more" : "more than zero")}, got {text}");
        }

        return value;
    }

    /// <summary>A block, rack or node name: a DNS label (node names may have dots), as Kubernetes names are.</summary>
    public string Name(YamlNode node, string path, bool allowDots)
    {
        var name = Text(node, path);
        var valid = allowDots ? HostName().IsMatch(name) && name.Length <= 253 : Label().IsMatch(name) && name.Length <= 63;
        if (!valid)
        {
            throw Error(path, node, $"'{name}' is not a valid name",
                "use lowercase letters, digits and '-', starting and ending with a letter or digit" + (allowDots ? " ('.' between parts)" : ""));
        }

        return name;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: var v } => $"'{v}'",
        _ => node.NodeType.ToString(),
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex HostName();
}
