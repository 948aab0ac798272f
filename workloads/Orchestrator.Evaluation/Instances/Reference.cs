namespace Orchestrator.Evaluation.Instances;

/// <summary>One candidate output of an instance (HELM's <c>Reference</c>): its text and tags such as <c>correct</c>.</summary>
/// <param name="Output">The reference text.</param>
/// <param name="Tags">Tags; <see cref="CorrectTag"/> marks a gold answer.</param>
public sealed record Reference(string Output, IReadOnlyList<string> Tags)
{
    /// <summary>The tag HELM uses for gold references.</summary>
    public const string CorrectTag = "correct";

    /// <summary>Whether the reference carries the <see cref="CorrectTag"/> tag.</summary>
    public bool IsCorrect => Tags.Contains(CorrectTag);

    /// <summary>Value equality over the tag list as well as the text.</summary>
    public bool Equals(Reference? other) =>
        other is not null && Output == other.Output && Tags.SequenceEqual(other.Tags);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Output, Tags.Count);
}
