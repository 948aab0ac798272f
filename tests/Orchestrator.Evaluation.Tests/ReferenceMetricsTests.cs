using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>Fixtures worked by hand from HELM's evaluate_reference_metrics.py definitions.</summary>
public sealed class ReferenceMetricsTests
{
    [Theory]
    [InlineData("Paris", " Paris ", 1)] // both strip to "Paris"
    [InlineData("Paris", "paris", 0)] // case matters
    [InlineData("Paris", "", 0)] // empty prediction scores 0
    public void ExactMatch(string gold, string pred, double expected) => Assert.Equal(expected, ReferenceMetrics.ExactMatch(gold, pred));

    [Theory]
    [InlineData("The Eiffel Tower!", "eiffel tower", 1)] // "the eiffel tower!" -> "the eiffel tower" -> " eiffel tower" -> "eiffel tower"
    [InlineData("an apple", "Apple.", 1)] // both -> "apple"
    [InlineData("New York", "New-York", 0)] // "new york" vs "newyork": the hyphen is dropped, not spaced
    public void QuasiExactMatch(string gold, string pred, double expected) =>
        Assert.Equal(expected, ReferenceMetrics.QuasiExactMatch(gold, pred));

    [Theory]
    [InlineData("Yes", "Yes, Elmendorf", 1)] // "Yes, Elmendorf".startswith("Yes")
    [InlineData("yes", "Yes, Elmendorf", 0)] // case-sensitive
    [InlineData("Yes", "  Yes", 1)] // stripped first
    public void PrefixExactMatch(string gold, string pred, double expected) =>
        Assert.Equal(expected, ReferenceMetrics.PrefixExactMatch(gold, pred));

    [Theory]
    [InlineData("yes", "Yes, Elmendorf", 1)] // "yes elmendorf".startswith("yes")
    [InlineData("the answer", "Answer: no", 1)] // "answer" prefix of "answer no"
    [InlineData("no", "Yes", 0)]
    public void QuasiPrefixExactMatch(string gold, string pred, double expected) =>
        Assert.Equal(expected, ReferenceMetrics.QuasiPrefixExactMatch(gold, pred));

    [Fact]
    public void F1OverNormalizedWordSets()
    {
        // gold {cat, sat, on, mat} (articles gone), pred {cat, on, mat}: P = 3/3, R = 3/4, F = 1/(0.5/1 + 0.5/0.75) = 6/7
        Assert.Equal(6.0 / 7, ReferenceMetrics.F1("the cat sat on the mat", "a cat on a mat"), 12);

        // sets: gold {red, blue}, pred {red, green}: P = R = 1/2, F = 1/2 (the repeated "red" counts once)
        Assert.Equal(0.5, ReferenceMetrics.F1("red red blue", "red green"), 12);

        // gold normalizes to nothing: 0; nothing in common: 0
        Assert.Equal(0, ReferenceMetrics.F1("The", "cat"));
        Assert.Equal(0, ReferenceMetrics.F1("x y", "z"));
    }

    [Fact]
    public void InstanceScoreTakesTheMostLikelyCompletionAndTheBestGold()
    {
        Completion[] completions = [new(" wrong", -3), new(" Paris ", -0.5)];

        // sorted by log-prob, " Paris " first; max over golds {"paris", "Paris"} of exact match = 1
        Assert.Equal(1, ReferenceMetrics.Score("exact_match", ["paris", "Paris"], completions));

        // multiple_choice_joint: the letter maps to the reference text before scoring
        var mapping = new Dictionary<string, string> { ["A"] = "London", ["B"] = "Paris" };
        Assert.Equal(1, ReferenceMetrics.Score("exact_match", ["Paris"], [new Completion("B", -0.1)], mapping));
        Assert.Equal(0, ReferenceMetrics.Score("exact_match", ["Paris"], [new Completion("Z", -0.1)], mapping));
        Assert.Throws<ArgumentException>(() => ReferenceMetrics.Score("accuracy", ["x"], completions));
    }
}
