using Orchestrator.Contracts.Evaluation;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Runs;

namespace Orchestrator.Evaluation.Tests.Runs;

/// <summary>A shard stopped mid-run (its worker killed) resumes with 0 instances redone; the request cache serves the rest.</summary>
public sealed class ShardResumeTests
{
    [Fact]
    public async Task A_shard_killed_mid_instance_resumes_with_no_instance_redone_and_the_cut_instance_from_the_cache()
    {
        var directory = RunFixtures.TemporaryDirectory();
        var spec = RunFixtures.Spec(directory);
        var run = RunInstances.Load(spec, builtin: null);
        var (start, end) = (0, 13);
        var resultsPath = ShardResultsFile.PathOf(Path.Combine(directory, "run"), 0);
        var cacheDirectory = Path.Combine(directory, "cache");

        // Attempt 1: a qa unit is 3 requests (original, typos, contraction); the model dies on the 8th request, inside
        // the third unit, after two of its requests were answered and cached.
        var firstReports = new List<ShardProgress>();
        using (var cache = RequestCache.Open(cacheDirectory))
        using (var file = ShardResultsFile.Open(resultsPath))
        {
            var dying = new CachingModelClient(new FakeModel(failAfter: 8), cache);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new ShardEvaluator(spec, run, dying).RunAsync(start, end, file, p => { firstReports.Add(p); return Task.CompletedTask; }, CancellationToken.None));
        }

        Assert.Equal(2, firstReports[^1].Done);

        // Attempt 2, as a new worker process would: everything reopened from disk.
        var model = new FakeModel();
        ShardProgress final;
        using (var cache = RequestCache.Open(cacheDirectory))
        using (var file = ShardResultsFile.Open(resultsPath))
        {
            final = await new ShardEvaluator(spec, run, new CachingModelClient(model, cache)).RunAsync(start, end, file, _ => Task.CompletedTask, CancellationToken.None);
        }

        Assert.Equal(2, final.Resumed);
        Assert.Equal(11, final.Evaluated);
        Assert.Equal(0, firstReports[^1].Evaluated + final.Evaluated - (end - start)); // instances redone
        Assert.Equal(2, final.CacheHits);
        Assert.Equal(11 * 3 - 2, final.CacheMisses);
        Assert.Equal(11 * 3 - 2, model.Answered);
        Assert.Equal(13, final.Done);
    }

    [Fact]
    public async Task A_rerun_with_the_same_cache_sends_no_request_to_the_model()
    {
        var directory = RunFixtures.TemporaryDirectory();
        var spec = RunFixtures.Spec(directory, testInstances: 4);
        var run = RunInstances.Load(spec, builtin: null);
        var cacheDirectory = Path.Combine(directory, "cache");
        ShardProgress second = null!;
        foreach (var attempt in new[] { "first", "second" })
        {
            using var cache = RequestCache.Open(cacheDirectory);
            using var file = ShardResultsFile.Open(ShardResultsFile.PathOf(Path.Combine(directory, attempt), 0));
            second = await new ShardEvaluator(spec, run, new CachingModelClient(new FakeModel(failAfter: attempt == "second" ? 0 : int.MaxValue), cache))
                .RunAsync(0, run.Units.Count, file, _ => Task.CompletedTask, CancellationToken.None);
        }

        Assert.Equal(0, second.CacheMisses);
        Assert.True(second.CacheHits > 0);
        Assert.Equal(run.Units.Count, second.Evaluated);
    }

    [Fact]
    public async Task A_torn_last_line_is_dropped_and_that_instance_evaluated_again()
    {
        var directory = RunFixtures.TemporaryDirectory();
        var spec = RunFixtures.Spec(directory, testInstances: 3);
        var run = RunInstances.Load(spec, builtin: null);
        var path = ShardResultsFile.PathOf(Path.Combine(directory, "run"), 0);
        using (var file = ShardResultsFile.Open(path))
            await new ShardEvaluator(spec, run, new FakeModel()).RunAsync(0, 2, file, _ => Task.CompletedTask, CancellationToken.None);
        await File.AppendAllTextAsync(path, "{\"index\": 2, \"scenario\": \"qa\", \"inst");

        using var reopened = ShardResultsFile.Open(path);
        Assert.Equal([0, 1], reopened.Done.Order());
        var final = await new ShardEvaluator(spec, run, new FakeModel()).RunAsync(0, 3, reopened, _ => Task.CompletedTask, CancellationToken.None);
        Assert.Equal((2, 1, 3), (final.Resumed, final.Evaluated, final.Done));
        Assert.Equal(3, File.ReadAllLines(path).Length);
    }
}
