using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// What a submitted spec must satisfy beyond its own rules: the queue's priority cap (admins are exempt) and
/// <c>file:</c> data sources under a configured data root. Applied to every client submission, with or without
/// authentication. Evaluation scenarios read from files meet the same data roots.
/// </summary>
internal sealed class SubmissionPolicy(IOptions<SecurityOptions> options)
{
    private readonly SecurityOptions _options = options.Value;
    private readonly IReadOnlyList<string> _roots = options.Value.DataRoots.Select(Root).ToList();

    public IReadOnlyList<SpecError> Check(TrainingJobSpec spec, Principal? caller)
    {
        var errors = new List<SpecError>();
        if (PriorityProblem(spec.Metadata, caller) is { } priority) errors.Add(priority);
        if (spec.Data.Source.StartsWith("file:", StringComparison.Ordinal) && DataRootProblem(spec.Data.Source[5..]) is { } problem)
            errors.Add(new SpecError("spec.data.source", problem));
        return errors;
    }

    public IReadOnlyList<SpecError> Check(EvaluationJobSpec spec, Principal? caller)
    {
        var errors = new List<SpecError>();
        if (PriorityProblem(spec.Metadata, caller) is { } priority) errors.Add(priority);
        // The run grain reads scenario files in the silo and its shards in the workers: the same roots as training data.
        for (var i = 0; i < spec.Scenarios.Count; i++)
        {
            var source = spec.Scenarios[i].Source;
            if (source.StartsWith(EvaluationScenarioSpec.FilePrefix, StringComparison.Ordinal) &&
                DataRootProblem(source[EvaluationScenarioSpec.FilePrefix.Length..]) is { } problem)
                errors.Add(new SpecError($"spec.scenarios[{i}]", problem));
        }

        return errors;
    }

    /// <summary>The metadata of a submitted spec of any kind, or null for anything else.</summary>
    public static JobMetadata? MetadataOf(object? spec) => spec switch
    {
        TrainingJobSpec training => training.Metadata,
        EvaluationJobSpec evaluation => evaluation.Metadata,
        _ => null,
    };

    private SpecError? PriorityProblem(JobMetadata metadata, Principal? caller)
    {
        var cap = _options.MaxPriority(metadata.Queue);
        return metadata.Priority > cap && !(caller?.IsAtLeast(Role.Admin) ?? false)
            ? new SpecError("metadata.priority", $"{metadata.Priority} exceeds the cap of queue '{metadata.Queue}' ({cap}); only an admin may go higher")
            : null;
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
