namespace Orchestrator.Contracts.Jobs;

/// <summary>A job document was refused; nothing was stored for it.</summary>
[GenerateSerializer]
public sealed class JobSpecException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public JobSpecException(IReadOnlyList<SpecError> errors)
        : this(errors, "job")
    {
    }

    /// <summary>Creates the exception from the errors found in a document of another kind (e.g. <c>queue document</c>).</summary>
    public JobSpecException(IReadOnlyList<SpecError> errors, string subject)
        : base(Describe(errors, subject)) => Errors = errors;

    /// <summary>Every error found, in document order.</summary>
    [Id(0)]
    public IReadOnlyList<SpecError> Errors { get; private set; }

    private static string Describe(IReadOnlyList<SpecError> errors, string subject) =>
        errors.Count == 1 ? $"invalid {subject}: {errors[0]}" : $"invalid {subject} ({errors.Count} errors):\n  " + string.Join("\n  ", errors);
}
