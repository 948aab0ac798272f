using System.Text.Json;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch eval runtime</c>: HELM's idealized/denoised runtime from profile files, worked out by hand.</summary>
public sealed class EvalRuntimeCommandTests
{
    private const string Idealized = """
        {"m": {"runtime_per_output_token": 0.01, "runtime_for_prompt_tokens": {"1": 0.1, "16": 0.2, "64": 0.5}}}
        """;

    private const string Denoised = """
        {"m": {"runtime_per_output_token": 0.02, "runtime_for_prompt_tokens": {"1": 0.1, "16": 0.3, "64": 0.6}, "overhead": 0.05}}
        """;

    [Theory]
    // Between sizes: k = 16. idealized 0.2·10/16 + 0.01·4 = 0.165; denoised 0.3·10/16 + 0.02·4 + 0.05 = 0.3175.
    [InlineData(10, 5, 0.165, 0.3175)]
    // Above the largest size: scaled up from k = 64 (0.5·100/64, 0.6·100/64 + 0.05); one output token adds nothing.
    [InlineData(100, 1, 0.78125, 0.9375 + 0.05)]
    // On a size: exactly its runtime; no output.
    [InlineData(16, 0, 0.2, 0.35)]
    public async Task Prints_idealized_and_denoised_seconds_as_json(int prompt, int output, double idealized, double denoised)
    {
        var (profiles, denoisedProfiles) = WriteProfiles();

        var result = await Orch.RunAsync("eval", "runtime", "m", "--prompt-tokens", $"{prompt}", "--output-tokens", $"{output}",
            "--profiles", profiles, "--denoised-profiles", denoisedProfiles, "-o", "json");

        Assert.Equal(0, result.Exit);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(idealized, json.RootElement.GetProperty("idealizedSeconds").GetDouble(), 1e-12);
        Assert.Equal(denoised, json.RootElement.GetProperty("denoisedSeconds").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Without_a_denoised_file_denoised_is_null()
    {
        var (profiles, _) = WriteProfiles();

        var result = await Orch.RunAsync("eval", "runtime", "m", "--prompt-tokens", "10", "--output-tokens", "5", "--profiles", profiles, "-o", "json");

        Assert.Equal(0, result.Exit);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("denoisedSeconds").ValueKind);
    }

    [Fact]
    public async Task Bad_input_names_what_is_wrong()
    {
        var (profiles, _) = WriteProfiles();

        var unknown = await Orch.RunAsync("eval", "runtime", "gpt-9", "--prompt-tokens", "1", "--output-tokens", "1", "--profiles", profiles);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("model 'gpt-9' is not in idealized.json; it lists: m", unknown.Error);

        var negative = await Orch.RunAsync("eval", "runtime", "m", "--prompt-tokens", "-3", "--output-tokens", "1", "--profiles", profiles);
        Assert.Equal(1, negative.Exit);
        Assert.Contains("--prompt-tokens must be >= 0", negative.Error);

        File.WriteAllText(profiles, """{"m": {"runtime_for_prompt_tokens": {"1": 0.1}}}""");
        var malformed = await Orch.RunAsync("eval", "runtime", "m", "--prompt-tokens", "1", "--output-tokens", "1", "--profiles", profiles);
        Assert.Equal(1, malformed.Exit);
        Assert.Contains("m.runtime_per_output_token", malformed.Error);
    }

    private static (string Profiles, string Denoised) WriteProfiles()
    {
        var directory = Orch.TemporaryDirectory();
        var profiles = Path.Combine(directory, "idealized.json");
        var denoised = Path.Combine(directory, "denoised.json");
        File.WriteAllText(profiles, Idealized);
        File.WriteAllText(denoised, Denoised);
        return (profiles, denoised);
    }
}
