namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// Platt scaling as HELM's calibration stats do it (uncertainty-calibration <c>get_platt_scaler</c>): probabilities
/// clipped to [1e-12, 1 − 1e-12] and mapped to log-odds, then a one-feature logistic regression (scikit-learn's
/// <c>LogisticRegression(C=1e10)</c>: L2 penalty w²/(2C) on the coefficient only) fitted to correctness; calibrated
/// probability = sigmoid(coef · logit(p) + intercept). Solved here by Newton's method to convergence (a two-parameter
/// convex problem; the library takes no numerics dependency); scikit-learn's lbfgs stops at its own tolerance, so
/// values agree with HELM's to about four decimals.
/// </summary>
public static class PlattScaling
{
    private const double Epsilon = 1e-12;
    private const double InverseC = 1e-10;

    /// <summary>The fitted coefficient and intercept.</summary>
    /// <exception cref="ArgumentException">Fewer than one correct and one wrong prediction (the fit would diverge).</exception>
    public static (double Coefficient, double Intercept) Fit(IReadOnlyList<double> probs, IReadOnlyList<int> correct)
    {
        if (probs.Count != correct.Count || !correct.Contains(0) || !correct.Contains(1))
        {
            throw new ArgumentException("Platt scaling needs equally many probabilities and labels, with both correct and wrong predictions");
        }

        var x = probs.Select(LogOdds).ToArray();
        double w = 0, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            // Gradient and Hessian of Σ log-loss + w²/(2C).
            double gw = InverseC * w, gb = 0, hww = InverseC, hwb = 0, hbb = 0;
            for (var i = 0; i < x.Length; i++)
            {
                var p = Sigmoid(w * x[i] + b);
                var residual = p - correct[i];
                var weight = p * (1 - p);
                gw += residual * x[i];
                gb += residual;
                hww += weight * x[i] * x[i];
                hwb += weight * x[i];
                hbb += weight;
            }

            var determinant = hww * hbb - hwb * hwb;
            if (determinant <= 0)
            {
                break;
            }

            var stepW = (hbb * gw - hwb * gb) / determinant;
            var stepB = (hww * gb - hwb * gw) / determinant;
            w -= stepW;
            b -= stepB;
            if (Math.Abs(stepW) < 1e-13 && Math.Abs(stepB) < 1e-13)
            {
                break;
            }
        }

        return (w, b);
    }

    /// <summary>The calibrated probability of <paramref name="prob"/>.</summary>
    public static double Apply(double prob, double coefficient, double intercept) => Sigmoid(coefficient * LogOdds(prob) + intercept);

    private static double LogOdds(double p)
    {
        var clipped = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return Math.Log(clipped / (1 - clipped));
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
