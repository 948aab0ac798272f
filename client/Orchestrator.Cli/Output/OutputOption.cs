using System.CommandLine;

namespace Orchestrator.Cli.Output;

/// <summary>The <c>-o json|yaml|table</c> option of read commands.</summary>
internal static class OutputOption
{
    public static Option<OutputFormat> Create() => new("--output", "-o")
    {
        Description = "Output format: table (default), json or yaml",
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? "table" : result.Tokens[0].Value;
            if (Enum.TryParse<OutputFormat>(text, ignoreCase: true, out var format)) return format;
            result.AddError($"--output must be table, json or yaml, not '{text}'");
            return OutputFormat.Table;
        },
    };
}
