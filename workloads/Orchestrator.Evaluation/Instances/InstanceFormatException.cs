namespace Orchestrator.Evaluation.Instances;

/// <summary>A line of an instance file is not in the documented format; names the file, line and field.</summary>
public sealed class InstanceFormatException : FormatException
{
    /// <summary>Creates the error for one line and field.</summary>
    public InstanceFormatException(string file, int line, string field, string problem)
        : base($"{file}:{line}: field '{field}': {problem}")
    {
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>The file that was read.</summary>
    public string File { get; }

    /// <summary>1-based line number.</summary>
    public int Line { get; }

    /// <summary>JSON path of the offending field, e.g. <c>references[1].tags</c>.</summary>
    public string Field { get; }
}
