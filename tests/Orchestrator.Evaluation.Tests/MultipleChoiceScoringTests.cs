using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>HELM's evaluate_references for the separate multiple-choice adapters, worked by hand.</summary>
public sealed class MultipleChoiceScoringTests
{
    private static Dictionary<string, double> Evaluate(IReadOnlyList<double> scores, params int[] correct) =>
        MultipleChoiceScoring.Evaluate(scores, correct).ToDictionary(s => s.Name.Name, s => s.Sum);

    [Fact]
    public void OriginalScoresAreLogProbabilityPerToken()
    {
        // (-2, 2 tokens) -> -1, (-3, 1) -> -3, (-1, 4) -> -0.25; best is reference 2
        var scores = MultipleChoiceScoring.OriginalScores([(-2, 2), (-3, 1), (-1, 4)]);
        Assert.Equal([-1, -3, -0.25], scores);
        var stats = Evaluate(scores, 2);
        Assert.Equal(1, stats["exact_match"]);
        Assert.Equal(2, stats["predicted_index"]);

        // max softmax = 1 / (e^(-1+0.25) + e^(-3+0.25) + 1)
        Assert.Equal(1 / (Math.Exp(-0.75) + Math.Exp(-2.75) + 1), stats["max_prob"], 12);
    }

    [Fact]
    public void TiedBestScoresShareTheCredit()
    {
        // arg-max {0, 1}, only 1 correct: exact match 1/2, predicted the first, 0
        var stats = Evaluate([0.5, 0.5, -1], 1);
        Assert.Equal(0.5, stats["exact_match"]);
        Assert.Equal(0, stats["predicted_index"]);
        Assert.Equal(1 / (1 + 1 + Math.Exp(-1.5)), stats["max_prob"], 12);
    }

    [Fact]
    public void CalibratedScoresSubtractTheBarePromptLogProbability()
    {
        // original [-2, -5], calibration [-4, -5.5] -> [2, 0.5]; reference 0 wins but 1 is correct
        var scores = MultipleChoiceScoring.CalibratedScores([-2, -5], [-4, -5.5]);
        Assert.Equal([2, 0.5], scores);
        var stats = Evaluate(scores, 1);
        Assert.Equal(0, stats["exact_match"]);
        Assert.Equal(1 / (1 + Math.Exp(-1.5)), stats["max_prob"], 12);

        // the reference's log-probability is the sum over its last tokens of the echoed prompt
        Assert.Equal(-1.5, MultipleChoiceScoring.ReferenceLogProbability(
            [new("Answer", -3), new(":", -1), new(" Par", -1), new("is", -0.5)], 2));
    }
}
