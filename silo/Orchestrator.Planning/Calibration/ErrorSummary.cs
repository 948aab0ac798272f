using Orchestrator.Planning.Cost;

namespace Orchestrator.Planning.Calibration;

/// <summary>The planner's error on a set of published points under one set of constants.</summary>
/// <param name="Points">The points.</param>
/// <param name="ErrorsPercent">Signed relative error of each point, in percent, in the points' order.</param>
internal sealed record ErrorSummary(IReadOnlyList<CalibrationPoint> Points, IReadOnlyList<double> ErrorsPercent)
{
    /// <summary>Mean absolute error in percent.</summary>
    public double MeanAbsolutePercent => ErrorsPercent.Average(Math.Abs);

    /// <summary>Largest absolute error in percent.</summary>
    public double MaxAbsolutePercent => ErrorsPercent.Max(Math.Abs);

    /// <summary>Prices every point under <paramref name="constants"/>.</summary>
    public static ErrorSummary Of(IReadOnlyList<CalibrationPoint> points, CostModelConstants constants) =>
        new(points, [.. points.Select(p => p.ErrorPercent(constants))]);
}
