using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Evaluation.Aggregation;

namespace Orchestrator.Evaluation.Runs;

/// <summary>
/// The results a shard has written, one JSON line per finished unit, each flushed to disk before the shard reports it:
/// a shard started again reads them and evaluates only the units missing. A torn last line (the worker killed
/// mid-write) is ignored, so that unit is evaluated again (its model requests then come from the request cache).
/// </summary>
public sealed class ShardResultsFile : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FileStream _file;
    private readonly Dictionary<int, UnitResult> _done;

    private ShardResultsFile(FileStream file, Dictionary<int, UnitResult> done)
    {
        _file = file;
        _done = done;
    }

    /// <summary>The file of shard <paramref name="shard"/> in a run's results folder.</summary>
    public static string PathOf(string resultsDirectory, int shard) =>
        System.IO.Path.Combine(resultsDirectory, "shards", $"shard-{shard:D3}.jsonl");

    /// <summary>Indexes of the units with results.</summary>
    public IReadOnlyCollection<int> Done => _done.Keys;

    /// <summary>Opens (or creates) the file for appending, reading what it holds.</summary>
    public static ShardResultsFile Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var done = new Dictionary<int, UnitResult>();
        var validLength = 0L;
        using (var reader = new StreamReader(file, Encoding.UTF8, false, 65536, leaveOpen: true))
        {
            var position = 0L;
            while (reader.ReadLine() is { } line)
            {
                position += Encoding.UTF8.GetByteCount(line) + 1;
                if (Parse(line) is not { } unit) break;
                done[unit.Index] = unit;
                validLength = position;
            }
        }

        // Drop a torn tail so the next line starts clean.
        file.SetLength(Math.Min(validLength, file.Length));
        file.Seek(0, SeekOrigin.End);
        return new ShardResultsFile(file, done);
    }

    /// <summary>Every unit result in a file (for the run's aggregation), skipping a torn last line.</summary>
    internal static IReadOnlyList<UnitResult> ReadAll(string path)
    {
        if (!File.Exists(path)) return [];
        var results = new List<UnitResult>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (Parse(line) is not { } unit) break;
            results.Add(unit);
        }

        return results;
    }

    /// <summary>The per-instance results stored for a unit.</summary>
    public IReadOnlyList<PerInstanceStats> StatsOf(int unit) => _done[unit].Stats.Select(s => s.ToStats()).ToList();

    /// <summary>Appends a unit's results and flushes them to disk before returning.</summary>
    internal void Append(UnitResult unit)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(unit, Json);
        _file.Write(bytes);
        _file.WriteByte((byte)'\n');
        _file.Flush(flushToDisk: true);
        _done[unit.Index] = unit;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private static UnitResult? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<UnitResult>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
