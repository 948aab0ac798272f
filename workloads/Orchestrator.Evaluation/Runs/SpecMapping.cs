using Orchestrator.Contracts.Evaluation;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;
using Orchestrator.Evaluation.Perturbations;

namespace Orchestrator.Evaluation.Runs;

/// <summary>From the spec's records to the library's adapter spec, perturbations and efficiency metrics.</summary>
public static class SpecMapping
{
    /// <summary>Typo probability when the spec gives none (HELM's robustness runs use 0.1).</summary>
    public const double DefaultTypoProbability = 0.1;

    /// <summary>Spaces per space for <c>extra_space</c> (the spec has no parameter for it).</summary>
    public const int ExtraSpaces = 2;

    /// <summary>The library's adapter spec for a scenario; requests carry <paramref name="modelId"/>.</summary>
    public static AdapterSpec Adapter(EvaluationAdapterSpec spec, string modelId) => new()
    {
        Method = AdapterMethods.Parse(spec.Method),
        Model = modelId,
        Instructions = spec.Instructions,
        InputPrefix = spec.InputPrefix,
        OutputPrefix = spec.OutputPrefix,
        MaxTrainInstances = spec.MaxTrainInstances,
        NumTrainTrials = spec.NumTrainTrials,
        NumOutputs = spec.NumOutputs,
        // Separate multiple choice only scores echoed prompts (HELM's adapter spec for it has max_tokens 0); a
        // generation budget would only make prompts be cut to leave room for tokens never generated.
        MaxTokens = spec.Method.StartsWith("multiple_choice_separate", StringComparison.Ordinal) ? 0 : spec.MaxTokens,
        Temperature = spec.Temperature,
        StopSequences = spec.StopSequences ?? [],
    };

    /// <summary>The perturbation a spec entry names, with its parameters.</summary>
    public static Perturbation Perturbation(PerturbationSpec spec) => spec.Name switch
    {
        "typos" => new TyposPerturbation(spec.Probability ?? DefaultTypoProbability),
        "lowercase" => new LowerCasePerturbation(),
        "contraction" => new ContractionPerturbation(),
        "expansion" => new ExpansionPerturbation(),
        "extra_space" => new ExtraSpacePerturbation(ExtraSpaces),
        "dialect" => new DialectPerturbation(spec.Probability ?? 1),
        "gender" => new GenderPerturbation(spec.Probability ?? 1),
        // HELM's person-name fairness perturbation swaps names of one group for another's; white to black male names.
        "person_name" => new PersonNamePerturbation(spec.Probability ?? 1, "white_male", "black_male"),
        _ => throw new ArgumentException($"perturbation '{spec.Name}' is unknown; allowed: {string.Join(", ", PerturbationSpec.Names)}"),
    };

    /// <summary>Efficiency stats from the spec's profile files (none given: measured runtime only).</summary>
    public static EfficiencyMetrics Efficiency(RuntimeProfilesSpec? profiles)
    {
        var none = new RuntimeProfiles(new Dictionary<string, RuntimeProfile>());
        if (profiles is null) return new EfficiencyMetrics(none, none);
        return new EfficiencyMetrics(RuntimeProfiles.Load(profiles.Idealized), profiles.Denoised is { } d ? RuntimeProfiles.Load(d) : none);
    }
}
