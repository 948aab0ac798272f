using Orchestrator.Contracts.Evaluation;

namespace Orchestrator.Client.Specs;

/// <summary>Makes an evaluation's file references absolute: its shards read them from wherever their workers run.</summary>
internal static class EvaluationPaths
{
    public static EvaluationJobSpec Resolve(EvaluationJobSpec spec, string baseDirectory) => spec with
    {
        Scenarios = spec.Scenarios.Select(s => s.Source.StartsWith(EvaluationScenarioSpec.FilePrefix, StringComparison.Ordinal)
            ? s with { Source = EvaluationScenarioSpec.FilePrefix + Path.GetFullPath(s.Source[EvaluationScenarioSpec.FilePrefix.Length..], baseDirectory) }
            : s).ToList(),
        Profiles = spec.Profiles is { } p
            ? new RuntimeProfilesSpec(Path.GetFullPath(p.Idealized, baseDirectory), p.Denoised is { } d ? Path.GetFullPath(d, baseDirectory) : null)
            : null,
    };
}
