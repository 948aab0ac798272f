using Orchestrator.Planning.Cost;

namespace Orchestrator.Planning.Calibration;

/// <summary>
/// The calibration procedure, as code: a bounded least-squares fit of the five <see cref="FittedConstant"/>s to a
/// set of published points. Objective: the mean of the squared relative errors of the planner's predictions;
/// minimised by <see cref="NelderMead"/> inside each constant's physical range, starting from the centre of every
/// range (so the result does not depend on the constants in use) and restarted from the best point until a restart
/// no longer improves it (the usual guard against a simplex that collapsed early). Every other constant is left as
/// it is. Deterministic.
/// </summary>
internal static class ConstantsFit
{
    private const int MaxRestarts = 6;

    /// <summary>The result of one fit.</summary>
    /// <param name="Constants">The fitted constants.</param>
    /// <param name="InSample">The fitted points' errors under them.</param>
    /// <param name="Iterations">Simplex iterations used.</param>
    /// <param name="AtBounds">Constants that ended within 1% of the range at one of their bounds.</param>
    public sealed record Result(CostModelConstants Constants, ErrorSummary InSample, int Iterations, IReadOnlyList<string> AtBounds);

    /// <summary>Fits the constants to <paramref name="points"/>; the constants not fitted come from <paramref name="others"/>.</summary>
    public static Result Fit(IReadOnlyList<CalibrationPoint> points, CostModelConstants? others = null, int maxIterations = 300)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("nothing to fit", nameof(points));
        var initial = others ?? CostModelConstants.Default;
        var parameters = FittedConstant.All;
        CostModelConstants With(double[] x)
        {
            var constants = initial;
            for (var i = 0; i < parameters.Count; i++) constants = parameters[i].Set(constants, x[i]);
            return constants;
        }

        double Objective(double[] x)
        {
            var constants = With(x);
            return points.Average(p => Math.Pow(p.ErrorPercent(constants) / 100, 2));
        }

        var lower = parameters.Select(p => p.Lower).ToArray();
        var upper = parameters.Select(p => p.Upper).ToArray();
        var best = parameters.Select(p => (p.Lower + p.Upper) / 2).ToArray();
        var value = double.MaxValue;
        var iterations = 0;
        for (var restart = 0; restart < MaxRestarts; restart++)
        {
            var (point, found, used) = NelderMead.Minimise(Objective, best, lower, upper, maxIterations);
            iterations += used;
            var improved = found < value * (1 - 1e-6);
            if (found < value) (best, value) = (point, found);
            if (!improved) break;
        }

        var fitted = With(best);
        var atBounds = parameters
            .Where((p, i) => Math.Min(best[i] - p.Lower, p.Upper - best[i]) <= 0.01 * (p.Upper - p.Lower))
            .Select(p => p.Name)
            .ToList();
        return new Result(fitted, ErrorSummary.Of(points, fitted), iterations, atBounds);
    }
}
