using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Orchestrator.Evaluation.Clients;

/// <summary>
/// JSON POSTs to an OpenAI-compatible server through one resilience pipeline: each attempt is rate-limited and timed
/// out; 429, 5xx, timeouts and broken connections are retried with exponential backoff (Retry-After honoured); other
/// errors are not. Shared by the text and the image clients.
/// </summary>
internal sealed class OpenAiTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly OpenAiConnection _connection;
    private readonly RateLimiter? _limiter;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public OpenAiTransport(HttpClient http, OpenAiConnection connection)
    {
        ArgumentNullException.ThrowIfNull(http);
        connection.Validate();
        _http = http;
        _connection = connection;
        Root = connection.BaseUrl.ToString().TrimEnd('/');
        if (connection.RequestsPerSecond is { } rate)
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

        _pipeline = BuildPipeline(connection, _limiter);
    }

    /// <summary>The API root without a trailing slash.</summary>
    public string Root { get; }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/>; the answer's JSON and the seconds of the attempt that gave it.</summary>
    /// <exception cref="HttpRequestException">A non-success status after the retries (status and body in the message).</exception>
    /// <exception cref="InvalidDataException">The answer is not JSON.</exception>
    public async Task<(JsonDocument Answer, double Seconds)> PostAsync(string path, string body, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(Root + path);
        var attemptTime = Stopwatch.StartNew();
        using var response = await _pipeline.ExecuteAsync(
            async token =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, endpoint)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                if (_connection.ApiKey is { } key)
                {
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                // Time the attempt that answers, not the backoff before it.
                attemptTime.Restart();
                return await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        var seconds = attemptTime.Elapsed.TotalSeconds;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}", inner: null, response.StatusCode);
        }

        try
        {
            return (JsonDocument.Parse(text), seconds);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{endpoint} answered with invalid JSON: {Shorten(text)}", e);
        }
    }

    public void Dispose() => _limiter?.Dispose();

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(OpenAiConnection connection, RateLimiter? limiter)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (connection.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = connection.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = connection.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsTransient),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, connection.MaxRetryAfter)),
                OnRetry = args =>
                {
                    // The failed answer is replaced by the next attempt's: release its connection.
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(connection.AttemptTimeout);
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

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
