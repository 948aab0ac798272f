using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Profiles;

/// <summary>
/// Fits a runtime profile in HELM's format to requests measured on our cluster. HELM's estimate for P prompt and O output
/// tokens is <c>r[k]·P/k + t·(O − 1) (+ overhead)</c> with k the smallest profiled size ≥ P (or the largest), which is
/// linear in the unknowns r[k], t and the overhead; they are found by ordinary least squares over the fitted
/// measurements (every k-th measurement, in a fixed order, is held out and reports the fit's error). An idealized
/// profile has no overhead term; a denoised one has it.
/// </summary>
public static class RuntimeProfileFitter
{
    /// <summary>HELM's profiled prompt sizes (powers of two up to 2048 and 1536, as in its efficiency data).</summary>
    public static IReadOnlyList<int> HelmPromptSizes { get; } = [1, 16, 32, 64, 128, 256, 512, 1024, 1536, 2048];

    /// <summary>Fits a profile to <paramref name="measurements"/>.</summary>
    /// <param name="measurements">Measured requests.</param>
    /// <param name="promptSizes">Prompt sizes to profile; only those some fitted measurement falls on are kept.</param>
    /// <param name="withOverhead">Fit a fixed per-request overhead (a denoised profile).</param>
    /// <param name="holdOutEvery">Every this-many-th measurement is held out (≥ 2).</param>
    /// <exception cref="ArgumentException">Too few measurements, bad values, or a fit that is not determined.</exception>
    public static RuntimeProfileFit Fit(IReadOnlyList<RuntimeMeasurement> measurements, IReadOnlyList<int> promptSizes, bool withOverhead, int holdOutEvery = 4)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        if (holdOutEvery < 2)
        {
            throw new ArgumentException($"holdOutEvery: must be >= 2, got {holdOutEvery}", nameof(holdOutEvery));
        }

        var sizes = promptSizes.Distinct().Order().ToList();
        if (sizes.Count == 0 || sizes[0] <= 0)
        {
            throw new ArgumentException("promptSizes: must hold at least one positive size", nameof(promptSizes));
        }

        foreach (var m in measurements)
        {
            if (m.PromptTokens < 0 || m.OutputTokens < 0 || !double.IsFinite(m.Seconds) || m.Seconds < 0)
            {
                throw new ArgumentException($"measurements: {m} has a negative count or a bad duration", nameof(measurements));
            }
        }

        var fitted = measurements.Where((_, i) => i % holdOutEvery != holdOutEvery - 1).ToList();
        var heldOut = measurements.Where((_, i) => i % holdOutEvery == holdOutEvery - 1).ToList();
        var used = sizes.Where(size => fitted.Any(m => Bucket(sizes, m.PromptTokens) == size)).ToList();
        var unknowns = used.Count + 1 + (withOverhead ? 1 : 0);
        if (fitted.Count < unknowns || heldOut.Count == 0)
        {
            throw new ArgumentException(
                $"measurements: {measurements.Count} measurements leave {fitted.Count} to fit {unknowns} unknowns and {heldOut.Count} to test; measure more",
                nameof(measurements));
        }

        var rows = fitted.Select(m => Features(m, used, withOverhead)).ToList();
        var solution = LeastSquares.Solve(rows, [.. fitted.Select(m => m.Seconds)]);
        var profile = new RuntimeProfile(
            solution[used.Count],
            used.Select((size, i) => (size, solution[i])).ToDictionary(p => p.size, p => p.Item2),
            withOverhead ? solution[used.Count + 1] : null);
        return new RuntimeProfileFit(profile, fitted.Count, ErrorOn(profile, heldOut));
    }

    /// <summary>Profiles in HELM's file shape (model name to profile), for <see cref="RuntimeProfiles.Parse"/>.</summary>
    public static string ToJson(IReadOnlyDictionary<string, RuntimeProfile> profiles)
    {
        var root = new JsonObject();
        foreach (var (model, profile) in profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var prompts = new JsonObject();
            foreach (var (size, seconds) in profile.RuntimeForPromptTokens.OrderBy(p => p.Key))
            {
                prompts[size.ToString(CultureInfo.InvariantCulture)] = seconds;
            }

            var entry = new JsonObject { ["runtime_per_output_token"] = profile.RuntimePerOutputToken, ["runtime_for_prompt_tokens"] = prompts };
            if (profile.Overhead is { } overhead)
            {
                entry["overhead"] = overhead;
            }

            root[model] = entry;
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static int Bucket(IReadOnlyList<int> sizes, int promptTokens) => sizes.FirstOrDefault(size => promptTokens <= size, sizes[^1]);

    private static double[] Features(RuntimeMeasurement m, List<int> used, bool withOverhead)
    {
        var row = new double[used.Count + 1 + (withOverhead ? 1 : 0)];
        var k = Bucket(used, m.PromptTokens);
        row[used.IndexOf(k)] = (double)m.PromptTokens / k;
        row[used.Count] = Math.Max(0, m.OutputTokens - 1);
        if (withOverhead)
        {
            row[used.Count + 1] = 1;
        }

        return row;
    }

    private static RuntimeFitError ErrorOn(RuntimeProfile profile, IReadOnlyList<RuntimeMeasurement> heldOut)
    {
        var absolute = heldOut.Select(m => Math.Abs(profile.EstimateSeconds(m.PromptTokens, m.OutputTokens) - m.Seconds)).ToList();
        var relative = heldOut.Zip(absolute, (m, a) => m.Seconds > 0 ? a / m.Seconds : 0).ToList();
        return new RuntimeFitError(heldOut.Count, absolute.Average(), relative.Average(), relative.Max());
    }
}
