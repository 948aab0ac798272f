using Spectre.Console;

namespace Orchestrator.Cli.Output;

/// <summary>Plain tables for humans, rendered without colour so they read the same in a file.</summary>
internal static class Tables
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, int width = 160)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers) table.AddColumn(new TableColumn(Markup.Escape(header)));
        foreach (var row in rows) table.AddRow(row.Select(cell => new Text(cell)).ToArray());
        Console(output, width).Write(table);
    }

    public static IAnsiConsole Console(TextWriter output, int width = 160)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }
}
