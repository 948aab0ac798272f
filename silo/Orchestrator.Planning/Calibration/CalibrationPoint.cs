using Orchestrator.Planning.Cost;

namespace Orchestrator.Planning.Calibration;

/// <summary>
/// One published measurement and how the planner predicts it under a set of constants.
/// </summary>
/// <param name="Table">The table it comes from (a file in <c>Calibration/Published</c>).</param>
/// <param name="Name">The row, and the mode where a row holds two measurements.</param>
/// <param name="Measured">The published figure.</param>
/// <param name="Unit">What the figure is: hardware or model TFLOP/s per GPU, or seconds per iteration.</param>
/// <param name="Predict">The planner's figure for the same run under the given constants.</param>
internal sealed record CalibrationPoint(string Table, string Name, double Measured, string Unit, Func<CostModelConstants, double> Predict)
{
    /// <summary>Signed relative error of the prediction in percent.</summary>
    public double ErrorPercent(CostModelConstants constants) => (Predict(constants) - Measured) / Measured * 100;
}
