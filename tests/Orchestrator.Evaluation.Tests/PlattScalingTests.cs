using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>
/// Platt scaling fixtures worked out by hand: with two distinct probabilities the logistic fit (nearly unpenalized,
/// C = 1e10) reproduces each group's accuracy exactly, so σ(a·logit(p₁) + b) = acc₁ and σ(a·logit(p₂) + b) = acc₂.
/// </summary>
public sealed class PlattScalingTests
{
    public static TheoryData<double[], int[], double, double> Fixtures() => new()
    {
        // p = 0.5 (logit 0) right 1 of 4 → b = logit(1/4) = −ln 3; p = 0.8 (logit ln 4) right 3 of 4 → a·ln 4 − ln 3 = ln 3.
        { [0.5, 0.5, 0.5, 0.5, 0.8, 0.8, 0.8, 0.8], [1, 0, 0, 0, 1, 1, 1, 0], Math.Log(3) / Math.Log(2), -Math.Log(3) },
        // Already calibrated: p = 0.5 right 1 of 2, p = 0.9 right 9 of 10 → a = 1, b = 0.
        { [0.5, 0.5, .. Enumerable.Repeat(0.9, 10)], [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0], 1, 0 },
        // Over-confident: p = 0.2 right 1 of 3, p = 0.8 right 2 of 3 → ±a·ln 4 + b = ±ln 2 → a = 1/2, b = 0.
        { [0.2, 0.2, 0.2, 0.8, 0.8, 0.8], [1, 0, 0, 1, 1, 0], 0.5, 0 },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Coefficient_and_intercept_match_the_hand_solution(double[] probs, int[] correct, double coefficient, double intercept)
    {
        var (a, b) = PlattScaling.Fit(probs, correct);

        Assert.Equal(coefficient, a, 1e-6);
        Assert.Equal(intercept, b, 1e-6);
    }

    [Fact]
    public void Helm_stats_report_the_fit_and_the_ece_of_the_recalibrated_probabilities()
    {
        // The over-confident fixture: 0.8 becomes σ(½·ln 4) = 2/3 and 0.2 becomes 1/3, each group's accuracy: ECE 0.
        var stats = CalibrationMetrics.PlattStats([0.2, 0.2, 0.2, 0.8, 0.8, 0.8], [1, 0, 0, 1, 1, 0]).ToDictionary(s => s.Name.Name, s => s.Mean!.Value);

        Assert.Equal(0.5, stats["platt_coef"], 1e-6);
        Assert.Equal(0, stats["platt_intercept"], 1e-6);
        Assert.Equal(0, stats["platt_ece_1_bin"], 1e-6);
        Assert.Equal(0, stats["platt_ece_10_bin"], 1e-6);
        Assert.Equal(2.0 / 3, PlattScaling.Apply(0.8, stats["platt_coef"], stats["platt_intercept"]), 1e-6);

        // Before recalibration the same predictions have a 10-bin ECE of |0.2 − 1/3| = |0.8 − 2/3| = 2/15.
        Assert.Equal(2.0 / 15, CalibrationMetrics.EceEqualMass([0.2, 0.2, 0.2, 0.8, 0.8, 0.8], [1, 0, 0, 1, 1, 0]), 1e-12);
    }

    [Fact]
    public void All_right_or_all_wrong_records_zero_platt_ece_without_a_fit_as_helm_does()
    {
        foreach (var label in new[] { 0, 1 })
        {
            var stats = CalibrationMetrics.PlattStats([0.3, 0.6, 0.9], [label, label, label]);
            Assert.Equal(["platt_ece_10_bin", "platt_ece_1_bin"], stats.Select(s => s.Name.Name));
            Assert.All(stats, s => Assert.Equal(0, s.Mean));
        }

        Assert.Throws<ArgumentException>(() => PlattScaling.Fit([0.3, 0.6], [1, 1]));
    }
}
