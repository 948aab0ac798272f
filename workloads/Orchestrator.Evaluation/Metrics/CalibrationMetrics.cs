using Orchestrator.Evaluation.Aggregation;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// HELM's calibration stats (metrics/basic_metrics.py <c>compute_calibration_metrics</c>, which calls the
/// <c>uncertainty-calibration</c> package): <c>ece_10_bin</c> is <c>get_ece_em</c> (10 EQUAL-MASS bins, L1),
/// <c>ece_1_bin</c> is <c>get_ece</c> with one bin, and <c>selective_cov_acc_area</c> / <c>selective_acc@10</c> come from
/// <c>get_selective_stats</c>, and the Platt-scaled <c>platt_*</c> stats (<see cref="PlattScaling"/>). Inputs per
/// instance: the model's max probability and whether it was correct.
/// </summary>
public static class CalibrationMetrics
{
    /// <summary>ECE with equal-mass bins (<c>get_ece_em</c>): bins hold about equal numbers of predictions.</summary>
    public static double EceEqualMass(IReadOnlyList<double> probs, IReadOnlyList<int> correct, int bins = 10) =>
        PluginCalibrationError(probs, correct, EqualMassBinEdges(probs, bins));

    /// <summary>ECE with equal-width bins (<c>get_ece</c>, Guo et al.): edges at i/bins.</summary>
    public static double EceEqualWidth(IReadOnlyList<double> probs, IReadOnlyList<int> correct, int bins = 1) =>
        PluginCalibrationError(probs, correct, Enumerable.Range(1, bins).Select(i => i * 1.0 / bins).ToList());

    /// <summary>
    /// <c>get_selective_stats</c>: sort by probability, highest first; accuracy of the top i predictions for each i;
    /// returns the mean of those accuracies (area under coverage-accuracy) and the accuracy at index
    /// <c>int(0.1 n)</c>, the 10% most confident. Ties keep input order (numpy's unstable sort may not).
    /// </summary>
    public static (double CoverageAccuracyArea, double AccuracyAt10) SelectiveStats(
        IReadOnlyList<double> probs, IReadOnlyList<int> correct)
    {
        CheckInputs(probs, correct);
        var order = Enumerable.Range(0, probs.Count).OrderByDescending(i => probs[i]).ToList();
        var accuracies = new double[order.Count];
        var running = 0.0;
        for (var i = 0; i < order.Count; i++)
        {
            running += correct[order[i]];
            accuracies[i] = running / (i + 1);
        }

        return (accuracies.Average(), accuracies[(int)(0.1 * order.Count)]);
    }

    /// <summary>
    /// The run-level calibration stats from per-instance stats (one list per instance, in one context), exactly when
    /// HELM computes them: only if some instance has a negative <c>logprob</c> sum, and only over instances that have
    /// both <c>max_prob</c> and <c>exact_match</c> (correctness is <c>int(mean)</c>, as HELM truncates it).
    /// </summary>
    public static IReadOnlyList<Stat> Derive(IReadOnlyList<IReadOnlyList<Stat>> perInstance)
    {
        if (!perInstance.Any(stats => stats.Any(s => s.Name.Name == "logprob" && s.Sum < 0)))
        {
            return [];
        }

        var probs = new List<double>();
        var correct = new List<int>();
        foreach (var stats in perInstance)
        {
            var maxProb = stats.FirstOrDefault(s => s.Name.Name == "max_prob");
            var exact = stats.FirstOrDefault(s => s.Name.Name == "exact_match");
            if (maxProb?.Mean is { } p && exact?.Mean is { } e)
            {
                probs.Add(p);
                correct.Add((int)e);
            }
        }

        if (probs.Count == 0)
        {
            return [];
        }

        var (area, at10) = SelectiveStats(probs, correct);
        return
        [
            Stat.Of(new MetricName("ece_10_bin"), EceEqualMass(probs, correct, 10)),
            Stat.Of(new MetricName("ece_1_bin"), EceEqualWidth(probs, correct, 1)),
            Stat.Of(new MetricName("selective_cov_acc_area"), area),
            Stat.Of(new MetricName("selective_acc@10"), at10),
            .. PlattStats(probs, correct),
        ];
    }

    /// <summary>
    /// HELM's post-recalibration stats: with all predictions right (or all wrong) the scaler cannot be fitted and HELM
    /// records both Platt ECEs as 0; otherwise the coefficient, intercept and the two ECEs of the recalibrated probabilities.
    /// </summary>
    internal static IReadOnlyList<Stat> PlattStats(IReadOnlyList<double> probs, IReadOnlyList<int> correct)
    {
        if (!correct.Contains(0) || !correct.Contains(1))
        {
            return [Stat.Of(new MetricName("platt_ece_10_bin"), 0.0), Stat.Of(new MetricName("platt_ece_1_bin"), 0.0)];
        }

        var (coefficient, intercept) = PlattScaling.Fit(probs, correct);
        var calibrated = probs.Select(p => PlattScaling.Apply(p, coefficient, intercept)).ToList();
        return
        [
            Stat.Of(new MetricName("platt_coef"), coefficient),
            Stat.Of(new MetricName("platt_intercept"), intercept),
            Stat.Of(new MetricName("platt_ece_10_bin"), EceEqualMass(calibrated, correct, 10)),
            Stat.Of(new MetricName("platt_ece_1_bin"), EceEqualWidth(calibrated, correct, 1)),
        ];
    }

    /// <summary><c>get_equal_bins</c>: split the sorted probabilities into near-equal parts; edges are midpoints, last 1.</summary>
    internal static IReadOnlyList<double> EqualMassBinEdges(IReadOnlyList<double> probs, int bins)
    {
        var sorted = probs.Order().ToList();
        var parts = Math.Min(bins, sorted.Count);
        var edges = new SortedSet<double>();
        var start = 0;
        for (var part = 0; part < parts - 1; part++)
        {
            // numpy.array_split: the first (n % parts) parts get one extra element.
            var size = sorted.Count / parts + (part < sorted.Count % parts ? 1 : 0);
            var end = start + size;
            edges.Add((sorted[end - 1] + sorted[end]) / 2.0);
            start = end;
        }

        edges.Add(1.0);
        return edges.ToList();
    }

    /// <summary><c>plugin_ce</c> with power 1 over <c>bisect_left</c> bins: sum of bin weight times |mean p - mean label|.</summary>
    private static double PluginCalibrationError(IReadOnlyList<double> probs, IReadOnlyList<int> correct, IReadOnlyList<double> edges)
    {
        CheckInputs(probs, correct);
        var sums = new double[edges.Count];
        var labels = new double[edges.Count];
        var counts = new int[edges.Count];
        for (var i = 0; i < probs.Count; i++)
        {
            var bin = BisectLeft(edges, probs[i]);
            sums[bin] += probs[i];
            labels[bin] += correct[i];
            counts[bin]++;
        }

        var error = 0.0;
        for (var bin = 0; bin < edges.Count; bin++)
        {
            if (counts[bin] > 0)
            {
                error += (double)counts[bin] / probs.Count * Math.Abs(sums[bin] / counts[bin] - labels[bin] / counts[bin]);
            }
        }

        return error;
    }

    private static int BisectLeft(IReadOnlyList<double> edges, double value)
    {
        var index = 0;
        while (index < edges.Count && edges[index] < value)
        {
            index++;
        }

        return index;
    }

    private static void CheckInputs(IReadOnlyList<double> probs, IReadOnlyList<int> correct)
    {
        if (probs.Count != correct.Count || probs.Count == 0)
        {
            throw new ArgumentException("probs and correct must be non-empty and of equal length");
        }

        if (probs.Any(p => p is < 0 or > 1 || double.IsNaN(p)) || correct.Any(c => c is not (0 or 1)))
        {
            throw new ArgumentException("probs must lie in [0, 1] and correct must be 0 or 1");
        }
    }
}
