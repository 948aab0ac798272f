namespace Orchestrator.Contracts.Jobs;

/// <summary>The rules of the lifecycle fields of a job spec: <c>spec.timeLimit</c> and <c>spec.dependsOn</c>.</summary>
public static class LifecycleSpecRules
{
    /// <summary>The longest time limit accepted (a year): anything longer is a typo, not a limit.</summary>
    public static readonly TimeSpan MaxTimeLimit = TimeSpan.FromDays(365);

    /// <summary>The most dependencies one job may name.</summary>
    public const int MaxDependencies = 64;

    /// <summary>
    /// Reads the text form of <c>spec.timeLimit</c>: a positive time such as <c>90s</c>, <c>90m</c> or <c>2h</c> (the
    /// same forms as a time-based <c>checkpoint.every</c>).
    /// </summary>
    /// <exception cref="FormatException">The text is not a positive time; the message says what is accepted.</exception>
    public static TimeSpan ParseTimeLimit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string Accepted = "use a positive time such as '90s', '90m' or '2h'";
        (int? Steps, double? Seconds) parsed;
        try
        {
            parsed = CheckpointSpec.ParseEvery(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"'{text}' is not a time; {Accepted}");
        }

        return parsed.Seconds is { } seconds ? TimeSpan.FromSeconds(seconds) : throw new FormatException($"'{text}' is not a time; {Accepted}");
    }

    /// <summary>Every rule the lifecycle fields of <paramref name="spec"/> break, by field path.</summary>
    public static IEnumerable<SpecError> Validate(TrainingJobSpec spec)
    {
        if (spec.TimeLimit is { } limit && (limit <= TimeSpan.Zero || limit > MaxTimeLimit))
            yield return new SpecError("spec.timeLimit", $"must be more than 0 and at most {MaxTimeLimit.TotalDays:F0} days, got {limit}");
        if (spec.DependsOn is not { } dependencies) yield break;
        if (dependencies.Count > MaxDependencies)
            yield return new SpecError("spec.dependsOn", $"names {dependencies.Count} jobs; at most {MaxDependencies} are allowed");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dependencies.Count; i++)
        {
            if (JobIdSyntax.Problem(dependencies[i]) is { } problem) yield return new SpecError($"spec.dependsOn[{i}]", problem);
            else if (!seen.Add(dependencies[i])) yield return new SpecError($"spec.dependsOn[{i}]", $"job '{dependencies[i]}' is named twice");
        }
    }
}
