using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Simulation.Scenarios;

/// <summary>
/// One YAML mapping of a scenario file, read strictly: unknown fields are refused and every value is checked, with
/// errors that name the field's full path and line.
/// </summary>
internal sealed class ScenarioFields
{
    private readonly Dictionary<string, YamlNode> _fields = new(StringComparer.Ordinal);
    private readonly string _source;

    public ScenarioFields(YamlNode node, string path, string source, params string[] allowed)
    {
        _source = source;
        Path = path;
        if (node is not YamlMappingNode mapping) throw Fail(path, node, "must be a mapping of fields");
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(key, StringComparer.Ordinal))
                throw Fail(Join(path, key), keyNode, $"is not a known field; allowed here: {string.Join(", ", allowed)}");
            _fields[key] = value;
        }
    }

    public string Path { get; }

    public static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    public bool Has(string field) => _fields.ContainsKey(field);

    public YamlNode? Node(string field) => _fields.GetValueOrDefault(field);

    public ScenarioException Fail(string path, YamlNode? node, string problem) =>
        new($"{_source}{(node is null ? "" : $" line {node.Start.Line}")}: {path} {problem}");

    /// <summary>A nested mapping found in a list (errors keep this file's name).</summary>
    public ScenarioFields Child(YamlNode node, string path, params string[] allowed) => new(node, path, _source, allowed);

    public ScenarioFields Mapping(string field, params string[] allowed) =>
        new(Required(field), Join(Path, field), _source, allowed);

    public ScenarioFields? OptionalMapping(string field, params string[] allowed) =>
        Has(field) ? Mapping(field, allowed) : null;

    public IReadOnlyList<YamlNode> Sequence(string field)
    {
        if (Required(field) is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            throw Fail(Join(Path, field), _fields[field], "must be a non-empty list");
        return sequence.Children.ToList();
    }

    public YamlNode Required(string field) =>
        _fields.TryGetValue(field, out var node) ? node : throw new ScenarioException($"{_source}: {Join(Path, field)} is required");

    public string Text(string field, string? fallback = null)
    {
        if (!Has(field)) return fallback ?? throw new ScenarioException($"{_source}: {Join(Path, field)} is required");
        var value = (_fields[field] as YamlScalarNode)?.Value;
        return string.IsNullOrWhiteSpace(value) ? throw Fail(Join(Path, field), _fields[field], "must be a non-empty text") : value;
    }

    public double Number(string field, double fallback, double min, double max, bool minExclusive = false)
    {
        if (!Has(field)) return fallback;
        var node = _fields[field];
        if (!double.TryParse((node as YamlScalarNode)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value < min || value > max || (minExclusive && value == min))
            throw Fail(Join(Path, field), node, $"must be a number {(minExclusive ? "above" : "from")} {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }

    public int Integer(string field, int fallback, int min, int max)
    {
        if (!Has(field)) return fallback;
        var node = _fields[field];
        if (!int.TryParse((node as YamlScalarNode)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Fail(Join(Path, field), node, $"must be a whole number from {min} to {max}");
        return value;
    }

    public bool Flag(string field, bool fallback)
    {
        if (!Has(field)) return fallback;
        return (_fields[field] as YamlScalarNode)?.Value switch
        {
            "true" => true,
            "false" => false,
            _ => throw Fail(Join(Path, field), _fields[field], "must be true or false"),
        };
    }

    /// <summary>A duration: a number of seconds, or a number with a unit s, m, h or d (<c>30d</c>, <c>90m</c>).</summary>
    public double Seconds(string field, double fallback, double min, double max)
    {
        if (!Has(field)) return fallback;
        var node = _fields[field];
        var text = (node as YamlScalarNode)?.Value?.Trim() ?? "";
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var digits = char.IsLetter(unit) && text.Length > 0 && char.IsLetter(text[^1]) ? text[..^1] : text;
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, 'd' => 86_400.0, _ => double.NaN };
        if (double.IsNaN(scale) || !double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value * scale < min || value * scale > max)
            throw Fail(Join(Path, field), node,
                $"must be a duration from {min.ToString(CultureInfo.InvariantCulture)} s to {max.ToString(CultureInfo.InvariantCulture)} s: seconds, or a number with unit s, m, h or d (e.g. 30d), got '{text}'");
        return value * scale;
    }
}
