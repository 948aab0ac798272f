namespace Orchestrator.Evaluation.Adapters;

/// <summary>The spec names of <see cref="AdapterMethod"/>, as HELM spells them.</summary>
public static class AdapterMethods
{
    private static readonly Dictionary<string, AdapterMethod> ByName = new(StringComparer.Ordinal)
    {
        ["generation"] = AdapterMethod.Generation,
        ["multiple_choice_joint"] = AdapterMethod.MultipleChoiceJoint,
        ["multiple_choice_separate_original"] = AdapterMethod.MultipleChoiceSeparateOriginal,
        ["multiple_choice_separate_calibrated"] = AdapterMethod.MultipleChoiceSeparateCalibrated,
        ["language_modeling"] = AdapterMethod.LanguageModeling,
    };

    /// <summary>Every accepted name.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>Parses a spec name.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>; the message lists them.</exception>
    public static AdapterMethod Parse(string name) =>
        ByName.TryGetValue(name, out var method)
            ? method
            : throw new ArgumentException($"adapter '{name}' is unknown; allowed: {string.Join(", ", ByName.Keys)}", nameof(name));

    /// <summary>The spec name of a method.</summary>
    public static string NameOf(AdapterMethod method) => ByName.First(pair => pair.Value == method).Key;
}
