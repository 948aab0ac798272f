using Orchestrator.Planning.Calibration;
using Orchestrator.Planning.Cost;
using Xunit.Abstractions;

namespace Orchestrator.Planning.Tests.Validation;

/// <summary>
/// The calibration procedure run as a test: fitted on one published table, the planner must predict the other
/// (out of sample), and the defaults must be what the fit on both tables gives.
/// </summary>
public sealed class CalibrationTests(ITestOutputHelper output)
{
    [Fact]
    public void Fitted_on_weak_scaling_the_planner_predicts_table5_within_8_percent_and_4_percent_on_average()
    {
        var fit = ConstantsFit.Fit(PaperRuns.WeakScalingPoints());
        var outOfSample = ErrorSummary.Of(PaperRuns.Table5Points(), fit.Constants);
        output.WriteLine($"fit {fit.Constants}; in sample {fit.InSample.MeanAbsolutePercent:F2}/{fit.InSample.MaxAbsolutePercent:F2}%; table 5 {outOfSample.MeanAbsolutePercent:F2}/{outOfSample.MaxAbsolutePercent:F2}%");
        Assert.InRange(outOfSample.MaxAbsolutePercent, 0, 8);
        Assert.InRange(outOfSample.MeanAbsolutePercent, 0, 4);
    }

    [Fact]
    public void Fitted_on_table5_the_planner_predicts_weak_scaling_within_8_percent_and_4_percent_on_average()
    {
        var fit = ConstantsFit.Fit(PaperRuns.Table5Points());
        var outOfSample = ErrorSummary.Of(PaperRuns.WeakScalingPoints(), fit.Constants);
        output.WriteLine($"fit {fit.Constants}; in sample {fit.InSample.MeanAbsolutePercent:F2}/{fit.InSample.MaxAbsolutePercent:F2}%; weak scaling {outOfSample.MeanAbsolutePercent:F2}/{outOfSample.MaxAbsolutePercent:F2}%");
        Assert.InRange(outOfSample.MaxAbsolutePercent, 0, 8);
        Assert.InRange(outOfSample.MeanAbsolutePercent, 0, 4);
    }

    [Fact]
    public void The_default_constants_are_what_the_fit_on_both_tables_gives()
    {
        var fit = ConstantsFit.Fit([.. PaperRuns.WeakScalingPoints(), .. PaperRuns.Table5Points()]);
        output.WriteLine($"fit {fit.Constants}; at bounds: {string.Join(", ", fit.AtBounds)}; {fit.Iterations} iterations; in sample {fit.InSample.MeanAbsolutePercent:F2}/{fit.InSample.MaxAbsolutePercent:F2}%");
        foreach (var constant in FittedConstant.All)
        {
            var tolerance = 0.01 * (constant.Upper - constant.Lower);
            Assert.InRange(constant.Get(CostModelConstants.Default), constant.Get(fit.Constants) - tolerance, constant.Get(fit.Constants) + tolerance);
        }
    }

    [Fact]
    public void Modern_h100_tables_print()
    {
        foreach (var points in new[] { ModernRuns.NemoPoints(), ModernRuns.Llama3Points() })
        {
            var s = ErrorSummary.Of(points, CostModelConstants.Default);
            for (var i = 0; i < points.Count; i++) output.WriteLine($"{points[i].Name,-28} measured {points[i].Measured,8:F3} predicted {points[i].Predict(CostModelConstants.Default),8:F3} error {s.ErrorsPercent[i],6:F1}%");
            output.WriteLine($"mean {s.MeanAbsolutePercent:F2} max {s.MaxAbsolutePercent:F2}");
        }
    }
}
