using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Evaluation.Clients;

namespace Orchestrator.Evaluation.Heim;

/// <summary>
/// A text-to-image model behind an OpenAI-compatible <c>POST /images/generations</c> endpoint, asked for base64
/// images (<c>response_format: b64_json</c>) so that nothing is fetched from other hosts; retries and rate limit as
/// the text client's.
/// </summary>
public sealed class OpenAiImageClient : IImageModelClient, IDisposable
{
    private readonly OpenAiTransport _transport;
    private readonly string _model;

    /// <summary>A client for <paramref name="model"/> on the server <paramref name="connection"/> names.</summary>
    /// <exception cref="ArgumentException">A connection field is out of range, or the model name is empty.</exception>
    public OpenAiImageClient(HttpClient http, OpenAiConnection connection, string model)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("model: must be a non-empty model name", nameof(model));
        }

        _transport = new OpenAiTransport(http, connection);
        _model = model;
        ModelId = $"openai-images:{_transport.Root}#{model}";
    }

    /// <inheritdoc />
    public string ModelId { get; }

    /// <inheritdoc />
    public async Task<ImageGenerationResult> GenerateAsync(ImageGenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var body = new JsonObject
        {
            ["model"] = _model,
            ["prompt"] = request.Prompt,
            ["n"] = request.NumImages,
            ["size"] = string.Create(CultureInfo.InvariantCulture, $"{request.Width}x{request.Height}"),
            ["response_format"] = "b64_json",
        };
        var (answer, seconds) = await _transport.PostAsync("/images/generations", body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        using (answer)
        {
            return new ImageGenerationResult(ReadImages(answer.RootElement), seconds);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    private static List<GeneratedImage> ReadImages(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("server answer has no 'data' array");
        }

        var images = new List<GeneratedImage>();
        foreach (var item in data.EnumerateArray())
        {
            if (!item.TryGetProperty("b64_json", out var encoded) || encoded.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException("server answer: data[].b64_json missing (the client asks for base64 images, never URLs)");
            }

            var revised = item.TryGetProperty("revised_prompt", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            images.Add(new GeneratedImage(Convert.FromBase64String(encoded.GetString()!), revised));
        }

        return images;
    }
}
