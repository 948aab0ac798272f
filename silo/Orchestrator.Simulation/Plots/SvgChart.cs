using System.Globalization;
using System.Text;
using Orchestrator.Simulation.Results;

namespace Orchestrator.Simulation.Plots;

/// <summary>
/// Line charts of a run's time series as SVG: GPUs allocated (and out of service) and jobs waiting over time.
/// Written by hand: two polylines and axes are a few dozen lines, where a plotting library (ScottPlot) would bring
/// SkiaSharp's native renderer into the CLI for them; SVG needs no native code and opens in any browser.
/// </summary>
internal static class SvgChart
{
    private const int Width = 900;
    private const int Height = 320;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 40;

    /// <summary>Writes <c>allocation.svg</c> and <c>queue.svg</c> into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(SimulationResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var samples = result.Samples;
        var allocation = Render($"{result.Scenario}: GPUs allocated of {result.TotalGpus}", "GPUs", samples,
            [("allocated", "#1f77b4", s => s.AllocatedGpus), ("out of service", "#d62728", s => s.OutOfService)], result.TotalGpus);
        var queue = Render($"{result.Scenario}: jobs waiting and running", "jobs", samples,
            [("waiting", "#ff7f0e", s => s.Waiting), ("running", "#2ca02c", s => s.Running)], null);
        var paths = new[] { Path.Combine(directory, "allocation.svg"), Path.Combine(directory, "queue.svg") };
        File.WriteAllText(paths[0], allocation);
        File.WriteAllText(paths[1], queue);
        return paths;
    }

    public static string Render(string title, string unit, IReadOnlyList<TimeSample> samples, IReadOnlyList<(string Name, string Colour, Func<TimeSample, double> Value)> series, double? maximum)
    {
        var end = samples.Count == 0 ? 1 : Math.Max(1, samples[^1].Seconds);
        var top = maximum ?? Math.Max(1, series.SelectMany(s => samples.Select(s.Value)).DefaultIfEmpty(1).Max());
        var (plotWidth, plotHeight) = (Width - Left - Right, Height - Top - Bottom);
        string X(double seconds) => F(Left + seconds / end * plotWidth);
        string Y(double value) => F(Top + plotHeight - value / top * plotHeight);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n<text x=\"{Left}\" y=\"18\" font-size=\"14\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n");
        var (scale, label) = end > 3 * 86_400 ? (86_400.0, "days") : end > 3 * 3600 ? (3600.0, "hours") : (60.0, "minutes");
        for (var i = 0; i <= 4; i++)
        {
            var (t, v) = (end * i / 4, top * i / 4);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(t)}\" y=\"{Height - 22}\" text-anchor=\"middle\">{F(t / scale)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(v)}\" text-anchor=\"end\">{F(v)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">time ({label})</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + plotHeight / 2}\" transform=\"rotate(-90 14 {Top + plotHeight / 2})\" text-anchor=\"middle\">{unit}</text>\n");
        for (var k = 0; k < series.Count; k++)
        {
            var (name, colour, value) = series[k];
            var points = string.Join(' ', samples.Select(s => $"{X(s.Seconds)},{Y(value(s))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth - 150}\" y=\"{Top + 14 + 16 * k}\" fill=\"{colour}\">{Escape(name)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}
