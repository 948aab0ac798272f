using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Runs;
using Orchestrator.Silo.Evaluation;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Scheduler;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Evaluation runs end to end on an embedded daemon with two CPU devices and real worker processes, on the built-in
/// client over a small GPT trained here for a few steps: instances per second with 1 and 2 shards (submit to
/// Succeeded, worker start included), whether 1, 3 and 8 shards give identical per-instance results, instances redone
/// after a shard's worker is killed, and the request-cache hit rate of a re-run. Method: docs/evaluation.md.
/// </summary>
internal sealed class EvaluationSuite : IBenchmarkSuite
{
    private const int Instances = 240;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public string Name => "evaluation";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "orchestrator-bench-evaluation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var options = new OrchestratorSiloOptions
            {
                DataDirectory = Path.Combine(scratch, "daemon"), LocalDevices = 2, MetricsPort = 0, SiloPort = 21411, GatewayPort = 40411,
                WorkerPath = typeof(EvaluationSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "OrchestratorWorkerPath").Value!,
                // The scenario file is written here; file: scenarios must lie under a data root (docs/security.md).
                Security = { DataRoots = [scratch] },
            };
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.SetMinimumLevel(LogLevel.Error);
            builder.AddOrchestratorSilo(options);
            builder.Services.Configure<JobSupervisionOptions>(o => o.CheckInterval = TimeSpan.FromMilliseconds(200));
            builder.Services.Configure<SchedulerOptions>(o => o.PassInterval = TimeSpan.FromMilliseconds(200));
            builder.Services.Configure<EvaluationOptions>(o => o.ShardRetryDelay = TimeSpan.Zero);
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            var backend = (LocalProcessBackend)host.Services.GetRequiredService<IExecutionBackend>();
            await using var client = await OrchestratorClient.ConnectAsync(new OrchestratorClientOptions { Gateways = [$"127.0.0.1:{options.GatewayPort}"] }, cancellationToken);

            var model = await TrainAsync(client, cancellationToken);
            var spec = Spec(model, WriteScenario(scratch));
            // Warm-up: one small run (worker binaries and the checkpoint's files into the page cache).
            await RunAsync(client, spec with { MaxInstances = 8, Metadata = spec.Metadata with { Name = "warm-up" }, Shards = 1 }, cancellationToken);

            var loadBefore = LoadAverage();
            var (one, oneSeconds) = await RunAsync(client, spec with { Shards = 1 }, cancellationToken);
            var (two, twoSeconds) = await RunAsync(client, spec with { Shards = 2 }, cancellationToken);
            report.Add("instances_per_s.shards_1", Instances / oneSeconds, "instances/s", Detail(one, oneSeconds, loadBefore));
            report.Add("instances_per_s.shards_2", Instances / twoSeconds, "instances/s", Detail(two, twoSeconds, loadBefore));

            var (three, _) = await RunAsync(client, spec with { Shards = 3 }, cancellationToken);
            var (eight, _) = await RunAsync(client, spec with { Shards = 8 }, cancellationToken);
            var texts = new[] { one, three, eight }.Select(PerInstanceWithoutMeasuredTimes).ToList();
            report.Add("shard_invariance", texts.All(t => t == texts[0]) ? 1 : 0, "bool", new Dictionary<string, object>
            {
                ["shards"] = "1, 3, 8", ["perInstanceStats"] = RunResults.PerInstance(one.ResultsDirectory!, 1).Count,
                ["compared"] = "per_instance_stats of every instance, perturbation and trial, except inference_runtime (a measured time)",
            });

            await ResumeAsync(report, client, backend, spec, cancellationToken);

            var (rerun, _) = await RunAsync(client, spec with { Shards = 1 }, cancellationToken);
            var hits = rerun.Shards.Sum(s => s.Progress!.CacheHits);
            var misses = rerun.Shards.Sum(s => s.Progress!.CacheMisses);
            report.Add("cache_hit_rate_rerun", (double)hits / (hits + misses), "ratio", new Dictionary<string, object>
            {
                ["hits"] = hits, ["misses"] = misses, ["rerunOf"] = one.Id, ["run"] = rerun.Id,
            });
            await host.StopAsync(cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>A one-shard run whose worker is killed once 40 instances are done; the shard resumes from its results file.</summary>
    private static async Task ResumeAsync(BenchmarkReport report, OrchestratorClient client, LocalProcessBackend backend, EvaluationJobSpec spec, CancellationToken cancellationToken)
    {
        var killedSpec = spec with { Shards = 1, Metadata = spec.Metadata with { Name = "killed" } };
        var run = await client.SubmitEvaluationAsync(killedSpec, cancellationToken);
        var shard = client.Grains.GetGrain<IEvaluationShardGrain>($"{run.Id}/0");
        var clock = Stopwatch.StartNew();
        while ((await shard.GetAsync())?.Progress is not { Done: >= 40 })
        {
            if (clock.Elapsed > Patience) throw new TimeoutException("the shard never reached 40 instances");
            await Task.Delay(10, cancellationToken);
        }

        foreach (var pid in backend.ProcessIdsOf($"{run.Id}/0")) Process.GetProcessById(pid).Kill(entireProcessTree: true);
        var done = await UntilFinishedAsync(client, run.Id, cancellationToken);
        var view = done.Shards.Single();
        report.Add("resume_redone_instances", view.Redone, "instances", new Dictionary<string, object>
        {
            ["attempts"] = view.Attempts, ["resumed"] = view.Progress!.Resumed, ["evaluatedByLastAttempt"] = view.Progress.Evaluated,
            ["cacheHits"] = view.CacheHits, ["instances"] = Instances, ["state"] = done.State.ToString(),
        });
    }

    private static async Task<(EvaluationRunView Run, double Seconds)> RunAsync(OrchestratorClient client, EvaluationJobSpec spec, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = await client.SubmitEvaluationAsync(spec, cancellationToken);
        var done = await UntilFinishedAsync(client, run.Id, cancellationToken);
        if (done.State != JobState.Succeeded) throw new InvalidOperationException($"run {run.Id} ended {done.State}: {done.Message}");
        return (done, clock.Elapsed.TotalSeconds);
    }

    private static async Task<EvaluationRunView> UntilFinishedAsync(OrchestratorClient client, string id, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await client.GetEvaluationAsync(id, cancellationToken);
            if (run.IsTerminal) return run;
            if (clock.Elapsed > Patience) throw new TimeoutException($"run {id} is {run.State} after {clock.Elapsed.TotalSeconds:F0} s");
            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task<string> TrainAsync(OrchestratorClient client, CancellationToken cancellationToken)
    {
        var job = await client.SubmitAsync(new TrainingJobSpec(
            new JobMetadata("eval-bench-model"), new ModelSpec("gpt", 4, 128, 4, 64, 256), new DataSpec("builtin:synthetic"),
            new TrainingSpec(16, 20, new OptimizerSpec("adamw", 1e-3)), new ParallelismSpec(false, 1, 1, 1, MicroBatch: 16),
            new ResourcesSpec(1, "cpu"), new CheckpointSpec(10, Keep: 2), RuntimeSpec.BuiltIn, new RestartPolicySpec()), cancellationToken);
        var clock = Stopwatch.StartNew();
        while ((await client.GetAsync(job.Id, cancellationToken)) is { IsTerminal: false })
        {
            if (clock.Elapsed > Patience) throw new TimeoutException("training the benchmark's model took too long");
            await Task.Delay(200, cancellationToken);
        }

        return job.Id;
    }

    /// <summary>Sums as a generation scenario (greedy, 4 tokens), each with a typos and a lower-cased copy.</summary>
    private static string WriteScenario(string scratch)
    {
        var path = Path.Combine(scratch, "sums.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 4).Select(i => Line($"t{i}", i, "train")).Concat(Enumerable.Range(0, Instances).Select(i => Line($"s{i}", i, "test"))));
        return path;

        static string Line(string id, int i, string split) => JsonSerializer.Serialize(new
        {
            id, input = $"{i % 10} plus {i / 10 % 10} is", split, references = new[] { new { output = $"{i % 10 + i / 10 % 10}", tags = new[] { "correct" } } },
        });
    }

    private static EvaluationJobSpec Spec(string model, string scenario) => new(
        new JobMetadata("eval-bench"),
        new EvaluationModelSpec(new CheckpointModelSpec(model, CheckpointModelSpec.Latest), null),
        [new EvaluationScenarioSpec("sums", "file:" + scenario, new EvaluationAdapterSpec(InputPrefix: "", OutputPrefix: " ", MaxTrainInstances: 1, MaxTokens: 4))],
        [new PerturbationSpec("typos", 0.1), new PerturbationSpec("lowercase")],
        ["exact_match", "f1_score"],
        null,
        new ResourcesSpec(1, "cpu"));

    private static string PerInstanceWithoutMeasuredTimes(EvaluationRunView run) =>
        HelmStatsJson.WritePerInstanceStats(RunResults.PerInstance(run.ResultsDirectory!, run.Shards.Count)
            .Select(p => p with { Stats = p.Stats.Where(s => s.Name.Name != "inference_runtime").ToList() }));

    private static Dictionary<string, object> Detail(EvaluationRunView run, double seconds, double load) => new()
    {
        ["instances"] = Instances, ["requestsPerInstance"] = 3, ["wallSeconds"] = seconds, ["shards"] = run.Shards.Count,
        ["measured"] = "submit to Succeeded on 2 CPU devices: worker start, checkpoint load, evaluation, aggregation",
        ["loadAverage1mBefore"] = load, ["run"] = run.Id,
    };

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
