using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Collects a suite's figures, prints them as a table and writes <c>artifacts/bench/SUITE.json</c> in the shape
/// <c>{"suite", "machine", "results": [{"name", "value", "unit", ...}]}</c>.
/// </summary>
internal sealed class BenchmarkReport(string suite)
{
    private readonly List<BenchmarkResult> _results = [];

    public string Suite { get; } = suite;

    public IReadOnlyList<BenchmarkResult> Results => _results;

    public void Add(string name, double value, string unit, IReadOnlyDictionary<string, object>? detail = null)
    {
        _results.Add(new BenchmarkResult(name, value, unit, detail));
        Console.WriteLine($"  {name,-48} {value.ToString("G6", CultureInfo.InvariantCulture),14} {unit}");
    }

    public static object Machine() => new Dictionary<string, object>
    {
        ["os"] = RuntimeInformation.OSDescription,
        ["processors"] = Environment.ProcessorCount,
        ["memoryBytes"] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["timestampUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };

    public async Task<string> WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var rows = _results.Select(r =>
        {
            var row = new Dictionary<string, object> { ["name"] = r.Name, ["value"] = r.Value, ["unit"] = r.Unit };
            foreach (var (key, value) in r.Detail ?? new Dictionary<string, object>())
            {
                row[key] = value;
            }

            return row;
        });
        var document = new Dictionary<string, object> { ["suite"] = Suite, ["machine"] = Machine(), ["results"] = rows };
        var path = Path.Combine(directory, Suite + ".json");
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
