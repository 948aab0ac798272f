using System.Net;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Clients;

namespace Orchestrator.Evaluation.Tests.Clients;

public sealed class OpenAiCompatibleClientTests : IDisposable
{
    private const string EchoAnswer = """
        {"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":"The cat sat",
         "logprobs":{"tokens":["The"," cat"," sat"],"token_logprobs":[null,-1.5,-0.25],
                     "top_logprobs":[null,{" cat":-1.5},{" sat":-0.25}],"text_offset":[0,3,7]},
         "finish_reason":"length"}]}
        """;

    private readonly FakeOpenAiServer _server = FakeOpenAiServer.Start();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Completions_echo_reads_token_log_probabilities_and_sends_helm_fields()
    {
        _server.Enqueue(200, EchoAnswer);
        using var client = Client(OpenAiApi.Completions, apiKey: "sk-test");

        var result = await client.CompleteAsync(Request("The cat sat", maxTokens: 0, echo: true), default);

        var completion = Assert.Single(result.Completions);
        Assert.Equal("The cat sat", completion.Text);
        Assert.Equal(["The", " cat", " sat"], completion.Tokens.Select(t => t.Text));
        // HELM: a missing (first, echoed) log-probability counts as 0.
        Assert.Equal([0.0, -1.5, -0.25], completion.Tokens.Select(t => t.LogProbability));
        Assert.Equal(-1.75, completion.LogProbability);
        Assert.NotNull(result.RequestTime);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/v1/completions", sent.Path);
        Assert.Equal("Bearer sk-test", sent.Authorization);
        Assert.Equal("m1", sent.Body.GetProperty("model").GetString());
        Assert.Equal("The cat sat", sent.Body.GetProperty("prompt").GetString());
        Assert.True(sent.Body.GetProperty("echo").GetBoolean());
        Assert.Equal(0, sent.Body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(1, sent.Body.GetProperty("logprobs").GetInt32());
        Assert.Equal(["\n"], sent.Body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Chat_reads_message_content_and_logprobs_of_each_choice()
    {
        _server.Enqueue(200, """
            {"choices":[
              {"index":0,"message":{"role":"assistant","content":"Paris"},
               "logprobs":{"content":[{"token":"Par","logprob":-0.1,"top_logprobs":[]},{"token":"is","logprob":-0.2,"top_logprobs":[]}]}},
              {"index":1,"message":{"role":"assistant","content":"Lyon"},"logprobs":null}]}
            """);
        using var client = Client(OpenAiApi.Chat);

        var result = await client.CompleteAsync(Request("Capital of France?", maxTokens: 5, echo: false, n: 2), default);

        Assert.Equal(["Paris", "Lyon"], result.Completions.Select(c => c.Text));
        Assert.Equal(-0.1 + -0.2, result.Completions[0].LogProbability, 12);
        Assert.Equal(["Par", "is"], result.Completions[0].Tokens.Select(t => t.Text));
        Assert.Empty(result.Completions[1].Tokens);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Null(sent.Authorization);
        var message = Assert.Single(sent.Body.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal("Capital of France?", message.GetProperty("content").GetString());
        Assert.Equal(2, sent.Body.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Retries_429_and_500_then_succeeds()
    {
        _server.Enqueue(429, "{\"error\":\"slow down\"}", new Dictionary<string, string> { ["Retry-After"] = "0" });
        _server.Enqueue(500, "{\"error\":\"boom\"}");
        _server.Enqueue(503, "{\"error\":\"busy\"}");
        _server.Enqueue(200, EchoAnswer);
        using var client = Client(OpenAiApi.Completions);

        var result = await client.CompleteAsync(Request("The cat sat", 0, true), default);

        Assert.Equal("The cat sat", Assert.Single(result.Completions).Text);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        _server.Enqueue(200, EchoAnswer, delay: TimeSpan.FromSeconds(5));
        _server.Enqueue(200, EchoAnswer);
        using var client = new OpenAiCompatibleClient(_http, new OpenAiClientOptions(_server.BaseUrl, "m1", OpenAiApi.Completions, null,
            new ContextWindow(new WhitespaceTokenizer(), 64, 64)) { RetryBaseDelay = TimeSpan.FromMilliseconds(5), AttemptTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await client.CompleteAsync(Request("The cat sat", 0, true), default);

        Assert.Equal("The cat sat", Assert.Single(result.Completions).Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Gives_up_after_max_retries_with_the_status_in_the_error()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Enqueue(500, "{\"error\":\"still broken\"}");
        }

        using var client = Client(OpenAiApi.Completions, maxRetries: 2);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.CompleteAsync(Request("x", 1, false), default));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("still broken", error.Message);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        _server.Enqueue(400, "{\"error\":\"bad model\"}");
        _server.Enqueue(200, EchoAnswer);
        using var client = Client(OpenAiApi.Completions);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.CompleteAsync(Request("x", 1, false), default));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Rate_limit_queues_requests_instead_of_refusing_them()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Enqueue(200, EchoAnswer);
        }

        using var client = Client(OpenAiApi.Completions, requestsPerSecond: 50);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.CompleteAsync(Request("x", 0, true), default)));

        Assert.All(results, r => Assert.Single(r.Completions));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Chat_refuses_echo_with_a_clear_error()
    {
        using var client = Client(OpenAiApi.Chat);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => client.CompleteAsync(Request("x", 0, true), default));

        Assert.Contains("completions", error.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Bad_options_name_the_field()
    {
        var window = new ContextWindow(new WhitespaceTokenizer(), 16, 16);
        var error = Assert.Throws<ArgumentException>(() =>
            new OpenAiCompatibleClient(_http, new OpenAiClientOptions(_server.BaseUrl, "m", OpenAiApi.Chat, null, window, MaxRetries: -1)));
        Assert.Contains("maxRetries", error.Message);
        Assert.DoesNotContain("sk-secret", new OpenAiClientOptions(_server.BaseUrl, "m", OpenAiApi.Chat, "sk-secret", window).ToString());
    }

    private OpenAiCompatibleClient Client(OpenAiApi api, string? apiKey = null, int maxRetries = 4, double? requestsPerSecond = null) =>
        new(_http, new OpenAiClientOptions(_server.BaseUrl, "m1", api, apiKey, new ContextWindow(new WhitespaceTokenizer(), 64, 64),
            maxRetries, requestsPerSecond) { RetryBaseDelay = TimeSpan.FromMilliseconds(5) });

    private static ModelRequest Request(string prompt, int maxTokens, bool echo, int n = 1) =>
        new("m1", prompt, 0, n, 1, maxTokens, ["\n"], echo);
}
