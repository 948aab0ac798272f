namespace Orchestrator.Evaluation.Clients;

/// <summary>How to reach an OpenAI-compatible server: its API root, key, retries and rate limit.</summary>
/// <param name="BaseUrl">The API root, e.g. <c>https://api.example.com/v1</c>.</param>
/// <param name="ApiKey">Sent as a bearer token when set (read from an environment variable or file by the caller).</param>
/// <param name="MaxRetries">Retries after a 429, a 5xx, a timeout or a broken connection (0: none).</param>
/// <param name="RequestsPerSecond">Most requests started per second; none when null.</param>
public sealed record OpenAiConnection(Uri BaseUrl, string? ApiKey, int MaxRetries = 4, double? RequestsPerSecond = null)
{
    /// <summary>First retry delay; each later one doubles it (with jitter), unless the server sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for one attempt before it counts as timed out (and is retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest Retry-After honoured; longer ones are cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Refuses bad values, naming the field and what is allowed.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"baseUrl: must be an absolute http or https URL, got '{BaseUrl}'", nameof(BaseUrl));
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentException($"maxRetries: must be >= 0, got {MaxRetries}", nameof(MaxRetries));
        }

        if (RequestsPerSecond is { } rate && (!double.IsFinite(rate) || rate <= 0))
        {
            throw new ArgumentException($"requestsPerSecond: must be a positive number, got {rate}", nameof(RequestsPerSecond));
        }

        if (RetryBaseDelay < TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("retryBaseDelay and maxRetryAfter must be >= 0, attemptTimeout > 0");
        }
    }

    // The key must never reach logs or exception messages through the record's generated ToString.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"BaseUrl = {BaseUrl}, ApiKey = {(ApiKey is null ? "none" : "***")}, MaxRetries = {MaxRetries}, RequestsPerSecond = {RequestsPerSecond}");
        return true;
    }
}
