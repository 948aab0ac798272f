using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Orchestrator.Evaluation.Clients;

/// <summary>
/// A model behind an OpenAI-compatible HTTP API (OpenAI, vLLM, llama.cpp server, ...): completions or chat, with
/// token log-probabilities where the server returns them. Each attempt is rate-limited and timed out; 429, 5xx,
/// timeouts and broken connections are retried with exponential backoff (Retry-After honoured); other errors are not.
/// </summary>
public sealed class OpenAiCompatibleClient : IModelClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly OpenAiClientOptions _options;
    private readonly RateLimiter? _limiter;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Uri _endpoint;

    /// <summary>A client calling <paramref name="options"/>' server through <paramref name="http"/>.</summary>
    public OpenAiCompatibleClient(HttpClient http, OpenAiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
        var root = options.BaseUrl.ToString().TrimEnd('/');
        _endpoint = new Uri(root + (options.Api == OpenAiApi.Chat ? "/chat/completions" : "/completions"));
        ModelId = $"{(options.Api == OpenAiApi.Chat ? "openai-chat" : "openai")}:{root}#{options.Model}";
        if (options.RequestsPerSecond is { } rate)
        {
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = 1,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / rate),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        _pipeline = BuildPipeline(options, _limiter);
    }

    /// <inheritdoc />
    public string ModelId { get; }

    /// <inheritdoc />
    public ContextWindow Window => _options.Window;

    /// <inheritdoc />
    public async Task<RequestResult> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = (_options.Api == OpenAiApi.Chat
            ? OpenAiWire.ChatBody(_options.Model, request)
            : OpenAiWire.CompletionsBody(_options.Model, request)).ToJsonString();
        var attemptTime = Stopwatch.StartNew();
        using var response = await _pipeline.ExecuteAsync(
            async token =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                if (_options.ApiKey is { } key)
                {
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                // Time the attempt that answers, not the backoff before it.
                attemptTime.Restart();
                return await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, token)
                    .ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        var seconds = attemptTime.Elapsed.TotalSeconds;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{_endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}",
                inner: null, response.StatusCode);
        }

        using var document = ParseJson(text);
        return new RequestResult(OpenAiWire.ReadCompletions(document.RootElement, _options.Api), seconds);
    }

    /// <inheritdoc />
    public void Dispose() => _limiter?.Dispose();

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(OpenAiClientOptions options, RateLimiter? limiter)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsTransient),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter)),
                OnRetry = args =>
                {
                    // The failed answer is replaced by the next attempt's: release its connection.
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
        if (limiter is not null)
        {
            builder.AddRateLimiter(limiter);
        }

        return builder.Build();
    }

    private static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, cap.Ticks)) : null;
    }

    private JsonDocument ParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{_endpoint} answered with invalid JSON: {Shorten(text)}", e);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
