using System.Text;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests.Clients;

public sealed class RequestCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orch-cache-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Answers_survive_reopening_exactly_including_infinite_log_probabilities()
    {
        var result = new RequestResult(
            [new Completion("a b", -0.1 + -0.2, [new ScoredToken("a", -0.1), new ScoredToken(" b", double.NegativeInfinity)])],
            RequestTime: 0.123456789012345, BatchRequestTime: 1.5, BatchSize: 3);
        using (var cache = RequestCache.Open(_directory))
        {
            cache.Put("model-a", Request("a b"), result);
        }

        using var reopened = RequestCache.Open(_directory);
        Assert.True(reopened.TryGet("model-a", Request("a b"), out var back));
        var completion = Assert.Single(back.Completions);
        Assert.Equal(result.Completions[0].Text, completion.Text);
        Assert.Equal(result.Completions[0].LogProbability, completion.LogProbability);
        Assert.Equal(result.Completions[0].Tokens, completion.Tokens);
        Assert.Equal((result.RequestTime, result.BatchRequestTime, result.BatchSize), (back.RequestTime, back.BatchRequestTime, back.BatchSize));
    }

    [Fact]
    public void Keys_distinguish_model_and_every_request_field()
    {
        using var cache = RequestCache.Open(_directory);
        cache.Put("model-a", Request("p"), new RequestResult([new Completion("x")]));

        Assert.False(cache.TryGet("model-b", Request("p"), out _));
        Assert.False(cache.TryGet("model-a", Request("p") with { StopSequences = ["\n", "."] }, out _));
        Assert.False(cache.TryGet("model-a", Request("p") with { TopKPerToken = 2 }, out _));
        Assert.False(cache.TryGet("model-a", Request("p") with { EchoPrompt = true }, out _));
        Assert.True(cache.TryGet("model-a", Request("p") with { StopSequences = ["\n"] }, out _));
        Assert.Equal(RequestCache.KeyOf("m", Request("p")), RequestCache.KeyOf("m", Request("p")));
        // Stable across processes: a fixed digest of the canonical JSON.
        Assert.Matches("^[0-9a-f]{64}$", RequestCache.KeyOf("m", Request("p")));
    }

    [Fact]
    public void A_torn_last_line_is_dropped_and_later_appends_stay_readable()
    {
        using (var cache = RequestCache.Open(_directory))
        {
            cache.Put("m", Request("one"), new RequestResult([new Completion("1")]));
        }

        var path = Path.Combine(_directory, RequestCache.FileName);
        File.AppendAllText(path, "{\"key\":\"abc\",\"modelId\":\"m\",\"requ", Encoding.UTF8);

        using (var cache = RequestCache.Open(_directory))
        {
            Assert.Equal(1, cache.Count);
            cache.Put("m", Request("two"), new RequestResult([new Completion("2")]));
        }

        using var reopened = RequestCache.Open(_directory);
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet("m", Request("two"), out var two));
        Assert.Equal("2", two.Completions[0].Text);
    }

    [Fact]
    public void A_damaged_line_in_the_middle_is_refused_with_file_and_line()
    {
        var path = Path.Combine(_directory, RequestCache.FileName);
        using (var cache = RequestCache.Open(_directory))
        {
            cache.Put("m", Request("one"), new RequestResult([new Completion("1")]));
        }

        var good = File.ReadAllText(path);
        File.WriteAllText(path, "not json\n" + good);

        var error = Assert.Throws<InvalidDataException>(() => RequestCache.Open(_directory));
        Assert.Contains($"{RequestCache.FileName}:1", error.Message);
    }

    [Fact]
    public async Task Caching_client_answers_repeats_from_the_cache_and_counts()
    {
        var inner = new CountingClient();
        using (var cache = RequestCache.Open(_directory))
        {
            var client = new CachingModelClient(inner, cache);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.CompleteAsync(Request($"p{i}"), default)));
            var again = await client.CompleteAsync(Request("p3"), default);
            Assert.Equal("answer to p3", again.Completions[0].Text);
            Assert.Equal((1L, 8L), (client.Hits, client.Misses));
        }

        using var reopened = RequestCache.Open(_directory);
        var resumed = new CachingModelClient(inner, reopened);
        foreach (var i in Enumerable.Range(0, 8))
        {
            await resumed.CompleteAsync(Request($"p{i}"), default);
        }

        Assert.Equal((8L, 0L), (resumed.Hits, resumed.Misses));
        Assert.Equal(8, inner.Calls);
    }

    [Fact]
    public void A_second_owner_of_the_directory_is_refused()
    {
        using var cache = RequestCache.Open(_directory);
        Assert.ThrowsAny<IOException>(() => RequestCache.Open(_directory));
    }

    private static ModelRequest Request(string prompt) => new("m", prompt, 0, 1, 1, 5, ["\n"], false);

    private sealed class CountingClient : IModelClient
    {
        private int _calls;

        public int Calls => _calls;

        public string ModelId => "counting";

        public ContextWindow Window { get; } = new(new WhitespaceTokenizer(), 16, 16);

        public Task<RequestResult> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new RequestResult([new Completion($"answer to {request.Prompt}")]));
        }
    }
}
