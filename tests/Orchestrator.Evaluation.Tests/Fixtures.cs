using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests;

/// <summary>Small instance builders shared by the tests.</summary>
internal static class Fixtures
{
    public static Instance Question(string id, string input, string split, params (string Text, bool Correct)[] references) =>
        new(id, input, references.Select(r => new Reference(r.Text, r.Correct ? [Reference.CorrectTag] : [])).ToList(), split);

    public static Instance Labelled(string id, string? label) =>
        label is null ? new Instance(id, id, [], Splits.Train) : Question(id, id, Splits.Train, (label, true));
}
