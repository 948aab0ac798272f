namespace Orchestrator.Contracts.Jobs;

/// <summary>A job document was refused; nothing was stored for it.</summary>
[GenerateSerializer]
public sealed class JobSpecException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public JobSpecException(IReadOnlyList<SpecError> errors)
        : base(Describe(errors)) => Errors = errors;

    /// <summary>Every error found, in document order.</summary>
    [Id(0)]
    public IReadOnlyList<SpecError> Errors { get; private set; }

    private static string Describe(IReadOnlyList<SpecError> errors) =>
        errors.Count == 1 ? $"invalid job: {errors[0]}" : $"invalid job ({errors.Count} errors):\n  " + string.Join("\n  ", errors);
}
