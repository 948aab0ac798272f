namespace Orchestrator.Planning.Tables;

/// <summary>
/// A CSV file embedded in this assembly: comment lines start with <c>#</c> (they carry each file's sources), then a
/// header, then rows. Written by hand because the files are a few rows of plain numbers with no quoting; a CSV
/// library would add a dependency for nothing.
/// </summary>
internal sealed class EmbeddedCsv
{
    private readonly string[] _header;

    private EmbeddedCsv(string name, string[] header, IEnumerable<string[]> rows)
    {
        Name = name;
        _header = header;
        Rows = [.. rows.Select(cells => new CsvRow(this, cells))];
    }

    /// <summary>The resource name, relative to the assembly's root namespace.</summary>
    public string Name { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Loads <c>Orchestrator.Planning.{relativeName}</c>.</summary>
    /// <exception cref="InvalidOperationException">The resource is missing or has no header.</exception>
    public static EmbeddedCsv Load(string relativeName)
    {
        var assembly = typeof(EmbeddedCsv).Assembly;
        var resource = $"Orchestrator.Planning.{relativeName}";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded table '{resource}' not found");
        using var reader = new StreamReader(stream);
        var lines = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#')) lines.Add(line.Split(','));
        }

        if (lines.Count == 0) throw new InvalidOperationException($"embedded table '{resource}' has no header");
        return new EmbeddedCsv(relativeName, lines[0], lines.Skip(1));
    }

    internal int Column(string name)
    {
        var index = Array.IndexOf(_header, name);
        return index >= 0 ? index : throw new KeyNotFoundException($"{Name}: no column '{name}' in [{string.Join(", ", _header)}]");
    }
}
