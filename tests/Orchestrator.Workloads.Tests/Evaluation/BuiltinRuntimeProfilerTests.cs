using Orchestrator.Evaluation.Metrics;
using Orchestrator.Evaluation.Profiles;
using Orchestrator.Workloads.Evaluation;
using Orchestrator.Workloads.Tests.Training;

namespace Orchestrator.Workloads.Tests.Evaluation;

[Collection(TrainingCollection.Name)]
public sealed class BuiltinRuntimeProfilerTests(BuiltinCheckpoints checkpoints) : IClassFixture<BuiltinCheckpoints>
{
    [Fact]
    public async Task Measured_runs_of_the_built_in_model_fit_a_helm_format_profile_with_a_held_out_error()
    {
        using var client = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned));

        var measurements = await BuiltinRuntimeProfiler.MeasureAsync(client, [2, 4, 6, 9, 12], [1, 4, 8], repeats: 1, CancellationToken.None);

        Assert.Equal(15, measurements.Count);
        // The byte model generates exactly the output tokens asked for (no stop sequences, the window fits them).
        Assert.Equal([2, 2, 2, 4, 4, 4, 6, 6, 6], measurements.Take(9).Select(m => m.PromptTokens));
        Assert.Equal([1, 4, 8], measurements.Take(3).Select(m => m.OutputTokens));
        Assert.All(measurements, m => Assert.True(m.Seconds > 0));
        // Prompts between the profiled sizes let the fit tell the overhead from the prompt cost.
        var fit = RuntimeProfileFitter.Fit(measurements, [6, 12], withOverhead: true, holdOutEvery: 3);
        Assert.Equal(5, fit.HeldOut.Count);
        Assert.True(double.IsFinite(fit.HeldOut.MeanRelative));
        var profiles = RuntimeProfiles.Parse(RuntimeProfileFitter.ToJson(new Dictionary<string, RuntimeProfile> { [client.ModelId] = fit.Profile }));
        Assert.NotNull(profiles.Find(client.ModelId));
    }

    [Fact]
    public async Task Sizes_beyond_the_window_are_refused()
    {
        using var client = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => BuiltinRuntimeProfiler.MeasureAsync(client, [20], [10], 1, CancellationToken.None));
        Assert.Contains("fit the model's 25 tokens", error.Message);
    }
}
