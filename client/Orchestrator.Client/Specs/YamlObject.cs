using System.Globalization;
using Orchestrator.Contracts.Jobs;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Client.Specs;

/// <summary>
/// A mapping of a YAML (or JSON) document read field by field, which records every error with the field's path
/// and line, and refuses fields it was not asked about.
/// </summary>
internal sealed class YamlObject
{
    private readonly YamlMappingNode _node;
    private readonly SpecReadContext _context;
    private readonly HashSet<string> _known = [];

    public YamlObject(YamlMappingNode node, string path, SpecReadContext context)
    {
        _node = node;
        Path = path;
        _context = context;
    }

    public string Path { get; }

    public int Line => (int)_node.Start.Line;

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void Error(string key, string message, YamlNode? at = null) =>
        _context.Errors.Add(new SpecError(Child(key), message, at is null ? Line : LineOf(at)));

    public YamlNode? Node(string key)
    {
        _known.Add(key);
        if (!_node.Children.TryGetValue(new YamlScalarNode(key), out var value)) return null;
        _context.Lines[Child(key)] = LineOf(value);
        return value;
    }

    public YamlObject? Object(string key, bool required)
    {
        switch (Node(key))
        {
            case null:
                if (required) Error(key, "is required");
                return null;
            case YamlMappingNode mapping:
                return new YamlObject(mapping, Child(key), _context);
            case var other:
                Error(key, "must be a mapping of fields", other);
                return null;
        }
    }

    public string? String(string key, bool required, string? fallback = null)
    {
        switch (Node(key))
        {
            case null:
                if (required) Error(key, "is required");
                return fallback;
            case YamlScalarNode { Value: { } value } when value.Length > 0:
                return value;
            case var other:
                Error(key, "must be a non-empty string", other);
                return fallback;
        }
    }

    public int? Int(string key, bool required, int? fallback = null)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required) Error(key, "is required");
            return fallback;
        }

        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            return value;
        Error(key, $"must be an integer, got '{Describe(node)}'", node);
        return fallback;
    }

    public double? Double(string key, bool required, double? fallback = null)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required) Error(key, "is required");
            return fallback;
        }

        if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        Error(key, $"must be a number, got '{Describe(node)}'", node);
        return fallback;
    }

    public bool? Bool(string key, bool? fallback = null)
    {
        var node = Node(key);
        if (node is null) return fallback;
        if (node is YamlScalarNode { Value: "true" or "True" }) return true;
        if (node is YamlScalarNode { Value: "false" or "False" }) return false;
        Error(key, $"must be true or false, got '{Describe(node)}'", node);
        return fallback;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                return sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
            case var other:
                Error(key, "must be a list of strings", other);
                return null;
        }
    }

    /// <summary>
    /// A mapping of scalar keys to scalar values (e.g. environment variables), in document order with each value's
    /// node for error lines; null when absent or not such a mapping (then an error is recorded).
    /// </summary>
    public IReadOnlyList<(string Key, string Value, YamlNode At)>? StringMap(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlMappingNode mapping when mapping.Children.All(c => c.Key is YamlScalarNode && c.Value is YamlScalarNode):
                return mapping.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", ((YamlScalarNode)c.Value).Value ?? "", c.Key)).ToList();
            case var other:
                Error(key, "must be a mapping of names to plain values", other);
                return null;
        }
    }

    /// <summary>
    /// The items of a list field, each as a mapping read at path <c>key[i]</c> or as a plain value; null when absent
    /// (an error is recorded when the field is not a list or an item is neither).
    /// </summary>
    public IReadOnlyList<(YamlObject? Mapping, string? Scalar, string Path)>? Items(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlSequenceNode sequence:
                var items = new List<(YamlObject?, string?, string)>();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var path = $"{Child(key)}[{i}]";
                    _context.Lines[path] = LineOf(sequence.Children[i]);
                    switch (sequence.Children[i])
                    {
                        case YamlMappingNode mapping:
                            items.Add((new YamlObject(mapping, path, _context), null, path));
                            break;
                        case YamlScalarNode { Value: { Length: > 0 } value }:
                            items.Add((null, value, path));
                            break;
                        case var other:
                            _context.Errors.Add(new SpecError(path, "must be a name or a mapping of fields", LineOf(other)));
                            break;
                    }
                }

                return items;
            case var other:
                Error(key, "must be a list", other);
                return null;
        }
    }

    /// <summary>Reports every field of the mapping that no reader asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var (key, _) in _node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!_known.Contains(name))
            {
                // An empty key has no path of its own: name the mapping it sits in (or the document at the top).
                var path = name.Length > 0 ? Child(name) : Path.Length > 0 ? Path : "document";
                _context.Errors.Add(new SpecError(path, $"{(name.Length > 0 ? "unknown field" : "a field with an empty name")}; allowed here: {string.Join(", ", _known)}", LineOf(key)));
            }
        }
    }

    private static string Describe(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : node.NodeType.ToString().ToLowerInvariant();
}
