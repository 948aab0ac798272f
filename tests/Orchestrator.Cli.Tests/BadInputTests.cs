using System.Text.Json;

namespace Orchestrator.Cli.Tests;

/// <summary>Bad input: one clear message naming the field, a non-zero exit, a stack trace only with --verbose.</summary>
public sealed class BadInputTests
{
    private static string WriteJob(string text)
    {
        var path = Path.Combine(Orch.TemporaryDirectory(), "job.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Example => File.ReadAllText(Orch.RepositoryFile("examples/gpt-tiny.yaml"));

    [Fact]
    public async Task An_invalid_job_is_refused_before_anything_starts()
    {
        var file = WriteJob(Example.Replace("heads: 4", "heads: 5"));
        var result = await Orch.RunAsync("run", file, "--gateway", $"127.0.0.1:{Orch.FreePort()}");
        Assert.Equal(1, result.Exit);
        Assert.Contains("spec.model.heads: 5 heads must divide hidden size 64 (line", result.Error);
        Assert.DoesNotContain("starting one", result.Out);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        var file = WriteJob(Example.Replace("layers: 2", "layerz: 2"));
        var result = await Orch.RunAsync("submit", file, "--verbose");
        Assert.Equal(1, result.Exit);
        Assert.Contains("spec.model.layerz: unknown field", result.Error);
        Assert.Contains("   at ", result.Error);
    }

    [Fact]
    public async Task Plan_prints_one_json_object_with_the_documented_fields()
    {
        var result = await Orch.RunAsync("plan", "--layers", "96", "--hidden", "12288", "--heads", "96", "--seq", "2048", "--vocab", "51200",
            "--global-batch", "1536", "--gpus", "1024", "--gpu-type", "a100-80gb", "--top", "2", "-o", "json");
        Assert.True(result.Exit == 0, result.Error);
        using var plan = JsonDocument.Parse(result.Out);
        var best = plan.RootElement.GetProperty("best");
        foreach (var field in new[] { "tensor", "pipeline", "data", "expert", "virtualStages", "microBatch", "recompute", "sequenceParallel", "zero",
                     "iterationSeconds", "modelTflopsPerGpu", "hardwareTflopsPerGpu", "mfu", "memoryGiBPerGpu", "bubbleFraction", "breakdown" })
            Assert.True(best.TryGetProperty(field, out _), $"best.{field} missing");
        Assert.Equal(2, plan.RootElement.GetProperty("alternatives").GetArrayLength());
        Assert.True(best.GetProperty("tensor").GetInt32() <= 8);
    }

    [Fact]
    public async Task Plan_takes_the_model_description_flags_and_plans_context_parallelism_for_long_sequences()
    {
        var result = await Orch.RunAsync("plan", "--layers", "32", "--hidden", "4096", "--heads", "32", "--seq", "131072", "--vocab", "128256",
            "--query-groups", "8", "--activation", "swiglu", "--ffn", "14336", "--untied-embeddings", "--precision", "bf16", "--flash", "true",
            "--overlap", "grad-reduce,param-gather,tensor", "--global-batch", "16", "--gpus", "64", "--gpu-type", "h100-80gb", "--top", "0", "-o", "json");
        Assert.True(result.Exit == 0, result.Error);
        using var plan = JsonDocument.Parse(result.Out);
        Assert.True(plan.RootElement.GetProperty("best").GetProperty("context").GetInt32() > 1);
    }

    [Theory]
    [InlineData("--activation", "relu", "--activation: 'relu' is not an activation; allowed: gelu, swiglu")]
    [InlineData("--precision", "fp4", "--precision: 'fp4' is not a number format; allowed: bf16, fp16, fp8")]
    [InlineData("--query-groups", "5", "--query-groups: must be a positive divisor of the 96 heads")]
    [InlineData("--overlap", "everything", "--overlap: 'everything' must be none or a comma list of grad-reduce, param-gather, tensor")]
    [InlineData("--main-gradients", "fp64", "--main-gradients: 'fp64' is not a gradient format; allowed: fp32, half")]
    [InlineData("--context", "0", "parallelism.context must be at least 1")]
    public async Task Plan_refuses_a_bad_model_description_naming_the_flag(string option, string value, string message)
    {
        var result = await Orch.RunAsync("plan", "--layers", "96", "--hidden", "12288", "--heads", "96", "--seq", "2048", "--vocab", "51200",
            "--global-batch", "1536", "--gpus", "1024", "--gpu-type", "h100-80gb", option, value);
        Assert.Equal(1, result.Exit);
        Assert.Contains(message, result.Error);
    }

    [Theory]
    [InlineData("--heads", "7", "must divide")]
    [InlineData("--gpu-type", "h900", "unknown GPU type 'h900'")]
    [InlineData("--parallelism", "8,200,1", "pipeline")]
    public async Task Plan_refuses_bad_input_naming_it(string option, string value, string message)
    {
        var args = new Dictionary<string, string>
        {
            ["--layers"] = "96", ["--hidden"] = "12288", ["--heads"] = "96", ["--seq"] = "2048", ["--vocab"] = "51200",
            ["--global-batch"] = "1536", ["--gpus"] = "1600", ["--gpu-type"] = "a100-80gb",
        };
        args[option] = value;
        var result = await Orch.RunAsync(["plan", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(1, result.Exit);
        Assert.Contains(message, result.Error);
    }

    [Theory]
    [InlineData(new[] { "--backend", "k8s" }, "backend must be 'local', 'simulated' or 'kubernetes', got 'k8s'")]
    [InlineData(new[] { "--namespace", "training" }, "--namespace and --kubeconfig apply only with --backend kubernetes")]
    [InlineData(new[] { "--backend", "kubernetes", "--kubeconfig", "/nonexistent/kubeconfig" }, "--kubeconfig: file '/nonexistent/kubeconfig' does not exist")]
    public async Task Up_refuses_bad_backend_flags_naming_them(string[] flags, string message)
    {
        var result = await Orch.RunAsync(["up", "--data-dir", Orch.TemporaryDirectory(), "--gateway-port", Orch.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), .. flags]);
        Assert.Equal(1, result.Exit);
        Assert.Contains(message, result.Error);
    }
}
