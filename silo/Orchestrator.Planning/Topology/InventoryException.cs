namespace Orchestrator.Planning.Topology;

/// <summary>
/// An inventory document that cannot be used. The message names the source, the field path and the line, e.g.
/// <c>h100.yaml: spec.blocks[0].racks[1].gpuType: unknown GPU type 'h900' (line 12); known: a100-40gb, ...</c>.
/// </summary>
public sealed class InventoryException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="sourceName">The file or other source the document came from.</param>
    /// <param name="fieldPath">Path of the offending field, e.g. <c>spec.blocks[0].name</c>; null for the whole document.</param>
    /// <param name="line">1-based line of the offending node; null where no line applies.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="hint">What is allowed instead, appended after the line; null for none.</param>
    /// <param name="innerException">The parser's own error, if any.</param>
    public InventoryException(string sourceName, string? fieldPath, int? line, string problem, string? hint = null, Exception? innerException = null)
        : base(Format(sourceName, fieldPath, line, problem, hint), innerException)
    {
        SourceName = sourceName;
        FieldPath = fieldPath;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file or other source the document came from.</summary>
    public string SourceName { get; }

    /// <summary>Path of the offending field, or null for the whole document.</summary>
    public string? FieldPath { get; }

    /// <summary>1-based line of the offending node, or null.</summary>
    public int? Line { get; }

    /// <summary>What is wrong, without source, path or line.</summary>
    public string Problem { get; }

    private static string Format(string sourceName, string? fieldPath, int? line, string problem, string? hint)
    {
        var path = string.IsNullOrEmpty(fieldPath) ? "" : fieldPath + ": ";
        var at = line is null ? "" : $" (line {line})";
        var allowed = hint is null ? "" : "; " + hint;
        return $"{sourceName}: {path}{problem}{at}{allowed}";
    }
}
