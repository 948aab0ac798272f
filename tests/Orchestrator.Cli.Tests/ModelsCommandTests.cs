namespace Orchestrator.Cli.Tests;

/// <summary><c>orch models</c> and <c>model.from</c> refuse malformed model versions before connecting, naming the argument or field.</summary>
public sealed class ModelsCommandTests
{
    [Theory]
    [InlineData("a", "models", "diff", "base", "base@2")]
    [InlineData("b", "models", "diff", "base@1", "base@")]
    [InlineData("reference", "models", "cascade", "base", "--dry-run")]
    [InlineData("reference", "models", "show", "base@1@2")]
    public async Task A_malformed_version_is_refused_naming_the_argument(string argument, params string[] args)
    {
        var result = await Orch.RunAsync([.. args, "--gateway", $"127.0.0.1:{Orch.FreePort()}"]);

        Assert.Equal(1, result.Exit);
        Assert.StartsWith($"error: {argument}: ", result.Error);
        Assert.Contains("write NAME@VERSION", result.Error);
        Assert.DoesNotContain("control plane", result.Error);
    }

    [Fact]
    public async Task A_job_whose_model_from_is_not_a_version_is_refused_with_the_field_and_line()
    {
        var path = Path.Combine(Orch.TemporaryDirectory(), "job.yaml");
        var example = File.ReadAllText(Orch.RepositoryFile("examples/gpt-tiny.yaml"));
        File.WriteAllText(path, example.Replace("    layers: 2\n", "    layers: 2\n    from: gpt-base\n"));

        var result = await Orch.RunAsync("submit", path, "--gateway", $"127.0.0.1:{Orch.FreePort()}");

        Assert.Equal(1, result.Exit);
        Assert.Contains("spec.model.from: 'gpt-base' is not a model version", result.Error);
    }
}
