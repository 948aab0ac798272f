using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Clients;

/// <summary>
/// A model behind an OpenAI-compatible HTTP API (OpenAI, vLLM, llama.cpp server, ...): completions or chat, with
/// token log-probabilities where the server returns them. Each attempt is rate-limited and timed out; 429, 5xx,
/// timeouts and broken connections are retried with exponential backoff (Retry-After honoured); other errors are not.
/// </summary>
public sealed class OpenAiCompatibleClient : IModelClient, IDisposable
{
    private readonly OpenAiClientOptions _options;
    private readonly OpenAiTransport _transport;

    /// <summary>A client calling <paramref name="options"/>' server through <paramref name="http"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (named in the message).</exception>
    public OpenAiCompatibleClient(HttpClient http, OpenAiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _transport = new OpenAiTransport(http, options.Connection);
        ModelId = $"{(options.Api == OpenAiApi.Chat ? "openai-chat" : "openai")}:{_transport.Root}#{options.Model}";
    }

    /// <inheritdoc />
    public string ModelId { get; }

    /// <inheritdoc />
    public ContextWindow Window => _options.Window;

    /// <inheritdoc />
    public async Task<RequestResult> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chat = _options.Api == OpenAiApi.Chat;
        var body = (chat ? OpenAiWire.ChatBody(_options.Model, request) : OpenAiWire.CompletionsBody(_options.Model, request)).ToJsonString();
        var (answer, seconds) = await _transport.PostAsync(chat ? "/chat/completions" : "/completions", body, cancellationToken).ConfigureAwait(false);
        using (answer)
        {
            return new RequestResult(OpenAiWire.ReadCompletions(answer.RootElement, _options.Api), seconds);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();
}
