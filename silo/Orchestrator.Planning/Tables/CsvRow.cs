using System.Globalization;

namespace Orchestrator.Planning.Tables;

/// <summary>One row of an <see cref="EmbeddedCsv"/>, read by column name.</summary>
internal sealed class CsvRow(EmbeddedCsv table, string[] cells)
{
    public string Text(string column) => cells[table.Column(column)].Trim();

    public int Int(string column) => int.Parse(Text(column), CultureInfo.InvariantCulture);

    public int? OptionalInt(string column) => Text(column).Length == 0 ? null : Int(column);

    public double Number(string column) => double.Parse(Text(column), CultureInfo.InvariantCulture);

    public override string ToString() => Text("name");
}
