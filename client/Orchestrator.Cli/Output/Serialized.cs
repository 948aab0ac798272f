using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Orchestrator.Cli.Output;

/// <summary>Writes records as JSON (camelCase, enums as names) or YAML of the same shape.</summary>
internal static class Serialized
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write(TextWriter output, OutputFormat format, object value) =>
        WriteJsonText(output, format, JsonSerializer.Serialize(value, value.GetType(), Json));

    /// <summary>Writes JSON text as is, or as YAML of the same shape.</summary>
    public static void WriteJsonText(TextWriter output, OutputFormat format, string json)
    {
        if (format == OutputFormat.Json)
        {
            output.WriteLine(json);
            return;
        }

        // YAML from the JSON tree, so both formats have exactly the same fields and names.
        var tree = new DeserializerBuilder().Build().Deserialize<object>(json);
        output.Write(new SerializerBuilder().WithNamingConvention(NullNamingConvention.Instance).Build().Serialize(tree));
    }
}
