using System.Globalization;

namespace Orchestrator.Planning.Tests.Validation;

/// <summary>
/// One CSV of published measurements, kept beside these tests in <c>Validation/Anchors</c> (copied to the output's
/// <c>Anchors</c> folder) with their sources in the comment lines: comment lines start with <c>#</c>, then a header.
/// </summary>
internal sealed class AnchorTable
{
    private readonly string[] _header;

    private AnchorTable(string[] header, List<string[]> rows)
    {
        _header = header;
        Rows = rows.Select(r => new AnchorRow(this, r)).ToList();
    }

    public IReadOnlyList<AnchorRow> Rows { get; }

    public static AnchorTable Load(string fileName)
    {
        var lines = File.ReadAllLines(Path.Combine(AnchorsDirectory(), fileName))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(','))
            .ToList();
        return new AnchorTable(lines[0], lines.Skip(1).ToList());
    }

    public static string AnchorsDirectory() => Path.Combine(AppContext.BaseDirectory, "Anchors");

    internal int Column(string name)
    {
        var index = Array.IndexOf(_header, name);
        return index >= 0 ? index : throw new KeyNotFoundException($"anchor column '{name}' not in [{string.Join(", ", _header)}]");
    }
}

/// <summary>One row of an <see cref="AnchorTable"/>.</summary>
internal sealed class AnchorRow(AnchorTable table, string[] cells)
{
    public string Text(string column) => cells[table.Column(column)];

    public int Int(string column) => int.Parse(Text(column), CultureInfo.InvariantCulture);

    public double Number(string column) => double.Parse(Text(column), CultureInfo.InvariantCulture);

    public override string ToString() => Text("name");
}
