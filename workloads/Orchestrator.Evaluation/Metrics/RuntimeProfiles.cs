using System.Text.Json;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// A HELM runtime-profile file: a JSON object from model name (e.g. <c>openai/davinci</c>) to
/// <c>{"runtime_per_output_token": s, "runtime_for_prompt_tokens": {"1": s, "16": s, ...}, "overhead": s?}</c>.
/// The real HELM files (or our own fitted ones in the same shape) are passed at run time.
/// </summary>
public sealed class RuntimeProfiles
{
    private readonly IReadOnlyDictionary<string, RuntimeProfile> _profiles;

    /// <summary>Wraps already-parsed profiles.</summary>
    public RuntimeProfiles(IReadOnlyDictionary<string, RuntimeProfile> profiles) => _profiles = profiles;

    /// <summary>The model names profiled.</summary>
    public IEnumerable<string> Models => _profiles.Keys;

    /// <summary>Reads a profile file.</summary>
    public static RuntimeProfiles Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses profile JSON; errors name the source and the field path.</summary>
    /// <exception cref="FormatException">The JSON is not in HELM's profile shape.</exception>
    public static RuntimeProfiles Parse(string json, string source = "profiles")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: must be an object from model name to profile");
            }

            var profiles = new Dictionary<string, RuntimeProfile>(StringComparer.Ordinal);
            foreach (var model in document.RootElement.EnumerateObject())
            {
                profiles[model.Name] = ParseProfile(source, model.Name, model.Value);
            }

            return new RuntimeProfiles(profiles);
        }
    }

    /// <summary>The profile of a model, or null when the file does not list it (HELM then reports no estimate).</summary>
    public RuntimeProfile? Find(string model) => _profiles.GetValueOrDefault(model);

    private static RuntimeProfile ParseProfile(string source, string model, JsonElement element)
    {
        string Field(string name) => $"{source}: {model}.{name}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{source}: {model}: must be an object");
        }

        if (!element.TryGetProperty("runtime_per_output_token", out var perToken) || perToken.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException($"{Field("runtime_per_output_token")}: required number of seconds");
        }

        if (!element.TryGetProperty("runtime_for_prompt_tokens", out var prompt) || prompt.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{Field("runtime_for_prompt_tokens")}: required object from prompt size to seconds");
        }

        var runtimes = new Dictionary<int, double>();
        foreach (var entry in prompt.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var size) || size <= 0)
            {
                throw new FormatException($"{Field("runtime_for_prompt_tokens")}: key '{entry.Name}' must be a positive integer");
            }

            if (entry.Value.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"{Field("runtime_for_prompt_tokens." + entry.Name)}: must be a number of seconds");
            }

            runtimes[size] = entry.Value.GetDouble();
        }

        if (runtimes.Count == 0)
        {
            throw new FormatException($"{Field("runtime_for_prompt_tokens")}: needs at least one prompt size");
        }

        double? overhead = null;
        if (element.TryGetProperty("overhead", out var o))
        {
            overhead = o.ValueKind == JsonValueKind.Number
                ? o.GetDouble()
                : throw new FormatException($"{Field("overhead")}: must be a number of seconds");
        }

        return new RuntimeProfile(perToken.GetDouble(), runtimes, overhead);
    }
}
