using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>ECE (equal-mass 10 bins, 1 bin) and selective accuracy, worked from the uncertainty-calibration code HELM calls.</summary>
public sealed class CalibrationTests
{
    private static readonly double[] FourProbs = [0.9, 0.8, 0.6, 0.3];
    private static readonly int[] FourCorrect = [1, 1, 0, 0];

    [Fact]
    public void FourPredictionsOnePerBin()
    {
        // 4 < 10 bins -> 4 bins, edges 0.45, 0.7, 0.85, 1.0; one prediction each:
        // (|0.3-0| + |0.6-0| + |0.8-1| + |0.9-1|) / 4 = 1.2 / 4 = 0.3
        Assert.Equal(0.3, CalibrationMetrics.EceEqualMass(FourProbs, FourCorrect), 12);

        // one bin: |mean p - mean y| = |2.6/4 - 0.5| = 0.15
        Assert.Equal(0.15, CalibrationMetrics.EceEqualWidth(FourProbs, FourCorrect), 12);

        // descending: correct 1,1,0,0 -> accuracies 1, 1, 2/3, 1/2; area = mean; acc@10 = accs[int(0.4)] = accs[0]
        var (area, at10) = CalibrationMetrics.SelectiveStats(FourProbs, FourCorrect);
        Assert.Equal((1 + 1 + 2.0 / 3 + 0.5) / 4, area, 12);
        Assert.Equal(1, at10);
    }

    [Fact]
    public void TwelvePredictionsSplitUnevenlyLikeNumpyArraySplit()
    {
        double[] probs = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4];
        int[] correct = [1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0];

        // array_split(12 sorted, 10): two bins of 2 ([0.4, 0.45], [0.5, 0.55]) then eight of 1.
        // bin errors: 0.425 (x2/12), |0.525-0.5| = 0.025 (x2/12), then 0.6, 0.35, 0.7, 0.25, 0.2, 0.85, 0.1, 0.05 (x1/12)
        // = (0.85 + 0.05 + 3.1) / 12 = 1/3
        Assert.Equal(1.0 / 3, CalibrationMetrics.EceEqualMass(probs, correct), 12);
        Assert.Equal(new[] { 0.475, 0.575, 0.625, 0.675, 0.725, 0.775, 0.825, 0.875, 0.925, 1.0 },
            CalibrationMetrics.EqualMassBinEdges(probs, 10).Select(e => Math.Round(e, 12)));

        // one bin: mean p 0.675, mean y 0.5
        Assert.Equal(0.175, CalibrationMetrics.EceEqualWidth(probs, correct), 12);

        // cumulative correct 1,2,2,3,4,4,5,5,5,6,6,6; acc@10 = accs[int(1.2)] = accs[1] = 1
        var (area, at10) = CalibrationMetrics.SelectiveStats(probs, correct);
        var expected = (1 + 1 + 2.0 / 3 + 3.0 / 4 + 4.0 / 5 + 4.0 / 6 + 5.0 / 7 + 5.0 / 8 + 5.0 / 9 + 6.0 / 10 + 6.0 / 11 + 6.0 / 12) / 12;
        Assert.Equal(expected, area, 12);
        Assert.Equal(1, at10);
    }

    [Fact]
    public void EqualProbabilitiesCollapseIntoOneBin()
    {
        double[] probs = [0.7, 0.7, 0.7, 0.7];
        int[] correct = [1, 0, 1, 1];

        // midpoints all 0.7 -> edges {0.7, 1.0}; bisect_left puts every 0.7 in bin 0: |0.7 - 0.75| = 0.05
        Assert.Equal(0.05, CalibrationMetrics.EceEqualMass(probs, correct), 12);
        Assert.Equal(0.05, CalibrationMetrics.EceEqualWidth(probs, correct), 12);

        // ties keep input order: accuracies 1, 1/2, 2/3, 3/4
        Assert.Equal((1 + 0.5 + 2.0 / 3 + 0.75) / 4, CalibrationMetrics.SelectiveStats(probs, correct).CoverageAccuracyArea, 12);
    }

    [Fact]
    public void DeriveNeedsLogProbabilitiesAndTruncatesCorrectness()
    {
        IReadOnlyList<Stat> Instance(double maxProb, double exact, double logprob) =>
            [Stat.Of(new("max_prob"), maxProb), Stat.Of(new("exact_match"), exact), Stat.Of(new("logprob"), logprob)];

        // no negative logprob anywhere: HELM skips calibration
        Assert.Empty(CalibrationMetrics.Derive([Instance(0.9, 1, 0), Instance(0.6, 0, 0)]));

        // exact_match 0.5 (a tie) counts as incorrect: int(0.5) = 0 -> same as FourProbs with correct 1,1,0,0
        var stats = CalibrationMetrics.Derive(
            [Instance(0.9, 1, -1), Instance(0.8, 1, -1), Instance(0.6, 0.5, -1), Instance(0.3, 0, -1)]);
        Assert.Equal(0.3, stats.Single(s => s.Name.Name == "ece_10_bin").Mean!.Value, 12);
        Assert.Equal(0.15, stats.Single(s => s.Name.Name == "ece_1_bin").Mean!.Value, 12);
        Assert.Equal(1, stats.Single(s => s.Name.Name == "selective_acc@10").Mean);
    }

    [Fact]
    public void RefusesProbabilitiesOutsideTheUnitInterval() =>
        Assert.Throws<ArgumentException>(() => CalibrationMetrics.EceEqualMass([1.2], [1]));
}
