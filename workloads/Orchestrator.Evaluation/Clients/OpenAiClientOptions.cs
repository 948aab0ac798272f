using System.Text;
using Orchestrator.Evaluation.Adapters;

namespace Orchestrator.Evaluation.Clients;

/// <summary>Where and how an <see cref="OpenAiCompatibleClient"/> calls its server.</summary>
/// <param name="BaseUrl">The API root, e.g. <c>https://api.example.com/v1</c> (paths <c>/completions</c> and
/// <c>/chat/completions</c> are appended).</param>
/// <param name="Model">The server's model name.</param>
/// <param name="Api">Completions or chat.</param>
/// <param name="ApiKey">Sent as a bearer token when set (read from an environment variable or file by the caller).</param>
/// <param name="Window">The model's tokenizer and limits, for adapting prompts.</param>
/// <param name="MaxRetries">Retries after a 429, a 5xx, a timeout or a broken connection (0: none).</param>
/// <param name="RequestsPerSecond">Most requests started per second; none when null.</param>
public sealed record OpenAiClientOptions(
    Uri BaseUrl,
    string Model,
    OpenAiApi Api,
    string? ApiKey,
    ContextWindow Window,
    int MaxRetries = 4,
    double? RequestsPerSecond = null)
{
    /// <summary>First retry delay; each later one doubles it (with jitter), unless the server sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for one attempt before it counts as timed out (and is retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest Retry-After honoured; longer ones are cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The connection part of these options.</summary>
    public OpenAiConnection Connection => new(BaseUrl, ApiKey, MaxRetries, RequestsPerSecond)
    {
        RetryBaseDelay = RetryBaseDelay, AttemptTimeout = AttemptTimeout, MaxRetryAfter = MaxRetryAfter,
    };

    /// <summary>Refuses bad values, naming the field and what is allowed.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        Connection.Validate();
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("model: must be a non-empty model name", nameof(Model));
        }

        if (!Enum.IsDefined(Api))
        {
            throw new ArgumentException($"api: must be completions or chat, got {(int)Api}", nameof(Api));
        }

        ArgumentNullException.ThrowIfNull(Window);
    }

    // The key must never reach logs or exception messages through the record's generated ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Connection = {Connection}, Model = {Model}, Api = {Api}");
        return true;
    }
}
