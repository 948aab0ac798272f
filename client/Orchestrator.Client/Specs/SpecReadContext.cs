using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Specs;

/// <summary>What reading one document collects: the errors found and the line of every field read.</summary>
internal sealed class SpecReadContext
{
    public List<SpecError> Errors { get; } = [];

    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    /// <summary>The line of <paramref name="path"/> or of its nearest enclosing field that was read.</summary>
    public int? LineOf(string path)
    {
        for (var current = path; current.Length > 0; current = current.Contains('.') ? current[..current.LastIndexOf('.')] : "")
        {
            if (Lines.TryGetValue(current, out var line)) return line;
        }

        return null;
    }
}
