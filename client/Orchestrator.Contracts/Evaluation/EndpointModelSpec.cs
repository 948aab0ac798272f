namespace Orchestrator.Contracts.Evaluation;

/// <summary>
/// An OpenAI-compatible endpoint. The API key is never in the spec: it is read by the shard's worker from an
/// environment variable or a file.
/// </summary>
/// <param name="Url">Base URL, e.g. <c>http://127.0.0.1:8000/v1</c>.</param>
/// <param name="Model">The model name the server knows.</param>
/// <param name="Api"><c>completions</c> or <c>chat</c>.</param>
/// <param name="ApiKeyEnv">Environment variable holding the key, or null.</param>
/// <param name="ApiKeyFile">File holding the key, or null.</param>
[GenerateSerializer, Immutable]
public sealed record EndpointModelSpec(
    [property: Id(0)] string Url,
    [property: Id(1)] string Model,
    [property: Id(2)] string Api = "completions",
    [property: Id(3)] string? ApiKeyEnv = null,
    [property: Id(4)] string? ApiKeyFile = null);
