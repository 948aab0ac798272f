using System.Text.Json;

namespace Orchestrator.Evaluation.Instances;

/// <summary>
/// Reads the documented JSONL instance format (one JSON object per line; see docs/evaluation.md):
/// <c>{"id": "...", "input": "...", "references": [{"output": "...", "tags": ["correct"]}], "split": "test"}</c>
/// with optional <c>sub_split</c> and <c>perturbation</c>. Every bad line is refused with the file, line and field.
/// </summary>
public static class JsonlInstanceReader
{
    private static readonly HashSet<string> KnownFields = ["id", "input", "references", "split", "sub_split", "perturbation"];

    /// <summary>Reads a scenario from a file; its name is <c>file:PATH</c>.</summary>
    public static Scenario ReadFile(string path) =>
        new($"file:{path}", Read(path, File.ReadLines(path)));

    /// <summary>Parses lines (blank lines skipped); <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InstanceFormatException">A line is malformed or an id repeats.</exception>
    public static IReadOnlyList<Instance> Read(string source, IEnumerable<string> lines)
    {
        var instances = new List<Instance>();
        var firstLineOfKey = new Dictionary<(string, string?), int>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var instance = ParseLine(source, number, line);
            var key = (instance.Id, instance.Perturbation?.Name);
            if (firstLineOfKey.TryGetValue(key, out var first))
            {
                throw new InstanceFormatException(source, number, "id", $"'{instance.Id}' already used on line {first}");
            }

            firstLineOfKey[key] = number;
            instances.Add(instance);
        }

        return instances;
    }

    private static Instance ParseLine(string source, int line, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InstanceFormatException(source, line, "$", $"not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InstanceFormatException(source, line, "$", "each line must be a JSON object");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name))
                {
                    throw new InstanceFormatException(source, line, property.Name,
                        $"unknown field; allowed: {string.Join(", ", KnownFields)}");
                }
            }

            var id = RequiredString(source, line, root, "id");
            var input = RequiredString(source, line, root, "input", allowEmpty: true);
            var split = RequiredString(source, line, root, "split");
            if (!Splits.All.Contains(split))
            {
                throw new InstanceFormatException(source, line, "split",
                    $"'{split}' is not a split; allowed: {string.Join(", ", Splits.All)}");
            }

            var subSplit = OptionalString(source, line, root, "sub_split");
            var references = ParseReferences(source, line, root);
            var perturbation = root.TryGetProperty("perturbation", out var p) && p.ValueKind != JsonValueKind.Null
                ? ParsePerturbation(source, line, p)
                : null;
            return new Instance(id, input, references, split, subSplit, perturbation);
        }
    }

    private static IReadOnlyList<Reference> ParseReferences(string source, int line, JsonElement root)
    {
        if (!root.TryGetProperty("references", out var array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InstanceFormatException(source, line, "references", "must be an array of {output, tags}");
        }

        var references = new List<Reference>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var field = $"references[{index}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new InstanceFormatException(source, line, field, "must be an object {output, tags}");
            }

            var output = RequiredString(source, line, element, "output", allowEmpty: true, prefix: field + ".");
            var tags = new List<string>();
            if (element.TryGetProperty("tags", out var tagArray))
            {
                if (tagArray.ValueKind != JsonValueKind.Array ||
                    tagArray.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
                {
                    throw new InstanceFormatException(source, line, field + ".tags", "must be an array of strings");
                }

                tags.AddRange(tagArray.EnumerateArray().Select(t => t.GetString()!));
            }

            references.Add(new Reference(output, tags));
            index++;
        }

        return references;
    }

    private static PerturbationDescription ParsePerturbation(string source, int line, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InstanceFormatException(source, line, "perturbation", "must be an object {name, robustness, fairness, seed}");
        }

        var name = RequiredString(source, line, element, "name", prefix: "perturbation.");
        return new PerturbationDescription(
            name,
            OptionalBool(source, line, element, "robustness"),
            OptionalBool(source, line, element, "fairness"),
            OptionalInt(source, line, element, "seed"));
    }

    private static string RequiredString(
        string source, int line, JsonElement element, string name, bool allowEmpty = false, string prefix = "")
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new InstanceFormatException(source, line, prefix + name, "required");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InstanceFormatException(source, line, prefix + name, $"must be a string, not {value.ValueKind}");
        }

        var text = value.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            throw new InstanceFormatException(source, line, prefix + name, "must not be empty");
        }

        return text;
    }

    private static string? OptionalString(string source, int line, JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InstanceFormatException(source, line, name, $"must be a string, not {value.ValueKind}");
    }

    private static int? OptionalInt(string source, int line, JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new InstanceFormatException(source, line, "perturbation." + name, "must be a 32-bit integer");
    }

    private static bool OptionalBool(string source, int line, JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InstanceFormatException(source, line, "perturbation." + name, "must be true or false"),
        };
    }
}
