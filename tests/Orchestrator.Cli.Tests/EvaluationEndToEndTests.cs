using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Cli.Hosting;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// The README's evaluation flow: orch run gpt-tiny (shortened), orch run examples/eval-tiny.yaml on the same data
/// folder, orch results; then the runs as the lineage graph sees them: orch models, and a cascade's dry run.
/// </summary>
public sealed class EvaluationEndToEndTests
{
    [Fact]
    public async Task Orch_run_evaluates_the_tiny_checkpoint_and_orch_results_prints_and_compares_its_scores()
    {
        var data = Orch.TemporaryDirectory();
        var gatewayPort = Orch.FreePort();
        var gateway = $"127.0.0.1:{gatewayPort}";
        // gpt-tiny as the README runs it, cut to 10 steps: the evaluation needs a checkpoint, not a good model.
        var training = Path.Combine(data, "gpt-tiny.yaml");
        await File.WriteAllTextAsync(training, (await File.ReadAllTextAsync(Orch.RepositoryFile("examples/gpt-tiny.yaml"))).Replace("steps: 120", "steps: 10"));
        var trained = await Orch.RunAsync("run", training, "--gateway", gateway, "--data-dir", data);
        Assert.True(trained.Exit == 0, trained.Out + trained.Error);

        var evaluated = await Orch.RunAsync("run", Orch.RepositoryFile("examples/eval-tiny.yaml"), "--gateway", gateway, "--data-dir", data);
        Assert.True(evaluated.Exit == 0, evaluated.Out + evaluated.Error);
        Assert.Contains("Pending → Running", evaluated.Out);
        Assert.Contains("instances 26/26", evaluated.Out);
        var summary = evaluated.Out.Split('\n').Single(l => l.Contains(": Succeeded in"));
        var runId = summary[..summary.IndexOf(':')];
        Assert.Contains("2 shard(s)", summary);
        Assert.Contains("0 instance(s) redone", summary);
        Assert.Contains("arithmetic", evaluated.Out);

        using var daemon = await Daemon.StartAsync(new OrchestratorSiloOptions
        {
            DataDirectory = data, GatewayPort = gatewayPort, SiloPort = Orch.FreePort(), MetricsPort = 0, WorkerPath = Daemon.WorkerPath(),
            Security = { DataRoots = [Orch.RepositoryFile("examples")] },
        }, LogLevel.Warning, CancellationToken.None);
        var trainedSummary = trained.Out.Split('\n').Single(l => l.Contains(": Succeeded in"));
        var job = await Orch.RunAsync("job", trainedSummary[..trainedSummary.IndexOf(':')], "--gateway", gateway);
        Assert.Contains("Evaluations:", job.Out);
        Assert.Contains($"{runId} (step 10, Succeeded): step 10: arithmetic:exact_match", job.Out);

        var table = await Orch.RunAsync("results", runId, "--gateway", gateway);
        Assert.True(table.Exit == 0, table.Error);
        Assert.Contains("colours", table.Out);
        Assert.Contains("exact_match", table.Out);

        var json = await Orch.RunAsync("results", runId, "-o", "json", "--gateway", gateway);
        using var parsed = JsonDocument.Parse(json.Out);
        var scores = parsed.RootElement.GetProperty("scores").EnumerateArray().ToList();
        Assert.Contains(scores, s => s.GetProperty("scenario").GetString() == "arithmetic" && s.GetProperty("metric").GetString() == "exact_match");
        var results = parsed.RootElement.GetProperty("resultsDirectory").GetString()!;
        Assert.True(File.Exists(Path.Combine(results, "colours", "stats.json")));

        // A second run of the same model and cut finds every answer in the request cache.
        var again = await Orch.RunAsync("run", Orch.RepositoryFile("examples/eval-tiny.yaml"), "--gateway", gateway);
        Assert.True(again.Exit == 0, again.Out + again.Error);
        var secondSummary = again.Out.Split('\n').Single(l => l.Contains(": Succeeded in"));
        var secondId = secondSummary[..secondSummary.IndexOf(':')];
        Assert.Contains("request(s) from the cache", again.Out);
        Assert.DoesNotContain("(0 request(s) from the cache", again.Out);
        var compare = await Orch.RunAsync("results", "--compare", runId, secondId, "--gateway", gateway);
        Assert.True(compare.Exit == 0, compare.Error);
        Assert.Contains("arithmetic:exact_match", compare.Out);
        Assert.Contains(runId, compare.Out);

        var two = await Orch.RunAsync("results", runId, secondId, "--gateway", gateway);
        Assert.Equal(1, two.Exit);
        Assert.Contains("--compare", two.Error);

        // Both runs evaluated the checkpoint that holds the model version gpt-tiny@1: orch models shows their scores as its latest.
        var models = await Orch.RunAsync("models", "--gateway", gateway);
        Assert.True(models.Exit == 0, models.Error);
        Assert.True(models.Out.Split('\n').Any(l => l.TrimStart().StartsWith("gpt-tiny ", StringComparison.Ordinal) && l.Contains("arithmetic:exact_match=", StringComparison.Ordinal)), models.Out);
        var show = await Orch.RunAsync("models", "show", "gpt-tiny@1", "--gateway", gateway);
        Assert.Contains($"gpt-tiny@1 -> {secondId}: EvaluatedBy by {secondId}", show.Out);

        // gpt-tiny trained again is gpt-tiny@2: the cascade's dry run would re-run both evaluation runs against it.
        var retrained = await Orch.RunAsync("run", training, "--gateway", gateway);
        Assert.True(retrained.Exit == 0, retrained.Out + retrained.Error);
        var plan = await Orch.RunAsync("models", "cascade", "gpt-tiny@2", "--dry-run", "--gateway", gateway);
        Assert.True(plan.Exit == 0, plan.Error);
        Assert.Contains("dry run: gpt-tiny@2 supersedes gpt-tiny@1; 2 job(s) would run", plan.Out);
        foreach (var evaluation in new[] { runId, secondId })
        {
            // STEP, KIND, REPLACES, RE-RUNS, AFTER, JOB, PRODUCED, STATE
            Assert.Contains(plan.Out.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
                cells => cells is [_, "Evaluate", "gpt-tiny@1", var rerun, "gpt-tiny@2", "-", "-", "planned"] && rerun == evaluation);
        }
        await daemon.StopAsync();
    }
}
