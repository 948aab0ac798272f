using Orchestrator.Evaluation.Metrics;
using Orchestrator.Evaluation.Profiles;

namespace Orchestrator.Evaluation.Tests.Profiles;

public sealed class RuntimeProfileFitterTests
{
    private static readonly RuntimeProfile Truth = new(0.01, new Dictionary<int, double> { [16] = 0.2, [64] = 0.5 }, 0.05);

    private static IReadOnlyList<RuntimeMeasurement> Measure(Func<int, double> noise) =>
    [
        .. from prompt in new[] { 4, 10, 16, 30, 50, 64, 100 }
           from output in new[] { 1, 3, 8 }
           select new RuntimeMeasurement(prompt, output, Truth.EstimateSeconds(prompt, output) * noise(prompt * 10 + output)),
    ];

    [Fact]
    public void Measurements_made_by_the_helm_formula_give_back_its_profile_and_no_held_out_error()
    {
        var fit = RuntimeProfileFitter.Fit(Measure(_ => 1), [1, 16, 64], withOverhead: true);

        Assert.Equal(0.01, fit.Profile.RuntimePerOutputToken, 1e-9);
        Assert.Equal(0.05, fit.Profile.Overhead!.Value, 1e-9);
        Assert.Equal([16, 64], fit.Profile.RuntimeForPromptTokens.Keys.Order());
        Assert.Equal(0.2, fit.Profile.RuntimeForPromptTokens[16], 1e-9);
        Assert.Equal(0.5, fit.Profile.RuntimeForPromptTokens[64], 1e-9);
        Assert.Equal(21 - 5, fit.FittedOn);
        Assert.Equal(5, fit.HeldOut.Count);
        Assert.True(fit.HeldOut.MaxRelative < 1e-9, $"{fit.HeldOut}");
    }

    [Fact]
    public void Noisy_measurements_report_their_held_out_error_and_the_file_reads_back_in_helm_shape()
    {
        // ±5% alternating noise: the fit cannot be exact, and its error on held-out requests says by how much.
        var fit = RuntimeProfileFitter.Fit(Measure(i => i % 2 == 0 ? 1.05 : 0.95), [16, 64], withOverhead: false);

        Assert.InRange(fit.HeldOut.MeanRelative, 1e-4, 0.2);
        Assert.Null(fit.Profile.Overhead);
        var json = RuntimeProfileFitter.ToJson(new Dictionary<string, RuntimeProfile> { ["builtin/gpt-tiny"] = fit.Profile });
        var back = RuntimeProfiles.Parse(json).Find("builtin/gpt-tiny")!;
        Assert.Equal(fit.Profile.EstimateSeconds(30, 5), back.EstimateSeconds(30, 5), 1e-15);
        Assert.Contains("\"runtime_for_prompt_tokens\"", json);
    }

    [Fact]
    public void A_fit_the_measurements_cannot_determine_is_refused()
    {
        var sameOutput = Measure(_ => 1).Where(m => m.OutputTokens == 3).ToList();
        var error = Assert.Throws<ArgumentException>(() => RuntimeProfileFitter.Fit(sameOutput, [16, 64], withOverhead: true));
        Assert.Contains("not determined", error.Message);

        var few = Assert.Throws<ArgumentException>(() => RuntimeProfileFitter.Fit(Measure(_ => 1).Take(3).ToList(), [16, 64], withOverhead: true));
        Assert.Contains("measure more", few.Message);
    }
}
