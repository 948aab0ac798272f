using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// What a submitted spec must satisfy beyond its own rules: the queue's priority cap (admins are exempt) and
/// <c>file:</c> data sources under a configured data root. Applied to every client submission, with or without
/// authentication.
/// </summary>
internal sealed class SubmissionPolicy(IOptions<SecurityOptions> options)
{
    private readonly SecurityOptions _options = options.Value;
    private readonly IReadOnlyList<string> _roots = options.Value.DataRoots.Select(Root).ToList();

    public IReadOnlyList<SpecError> Check(TrainingJobSpec spec, Principal? caller)
    {
        var errors = new List<SpecError>();
        var cap = _options.MaxPriority(spec.Metadata.Queue);
        if (spec.Metadata.Priority > cap && !(caller?.IsAtLeast(Role.Admin) ?? false))
            errors.Add(new SpecError("metadata.priority", $"{spec.Metadata.Priority} exceeds the cap of queue '{spec.Metadata.Queue}' ({cap}); only an admin may go higher"));
        if (spec.Data.Source.StartsWith("file:", StringComparison.Ordinal) && DataRootProblem(spec.Data.Source[5..]) is { } problem)
            errors.Add(new SpecError("spec.data.source", problem));
        return errors;
    }

    private string? DataRootProblem(string path)
    {
        if (_roots.Count == 0) return "file: data sources are not allowed: the control plane has no data roots (Orchestrator:Security:DataRoots, orch up --data-root)";
        if (SpecBounds.ClimbsOut(path) || !Path.IsPathFullyQualified(path))
            return $"'{path}' must be an absolute path without '..' under a data root: {string.Join(", ", _roots)}";
        var full = Path.GetFullPath(path);
        return _roots.Any(root => full.StartsWith(root, StringComparison.Ordinal))
            ? null
            : $"'{path}' is not under a data root; allowed: {string.Join(", ", _roots)}";
    }

    // A root ends with a separator so that /data does not admit /database.
    private static string Root(string root) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
}
