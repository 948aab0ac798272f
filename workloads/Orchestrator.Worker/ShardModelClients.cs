using Orchestrator.Contracts.Evaluation;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Workloads.Evaluation;

namespace Orchestrator.Worker;

/// <summary>
/// The model a shard's worker talks to: the built-in GPT loaded from the checkpoint the run resolved, or the
/// OpenAI-compatible endpoint with its key read from the environment variable or file the spec names (never the spec).
/// </summary>
internal static class ShardModelClients
{
    /// <summary>The context an endpoint is adapted for: the spec does not give its tokenizer, so whitespace tokens
    /// and a 2,048-token window (GPT-3's) stand in for them when prompts are cut to fit.</summary>
    private static readonly ContextWindow EndpointWindow = new(new WhitespaceTokenizer(), 2048, 2048);

    public static async Task<IModelClient> OpenAsync(EvaluationShardWork work, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (work.Model.Endpoint is { } endpoint)
        {
            var options = new OpenAiClientOptions(new Uri(endpoint.Url), endpoint.Model,
                endpoint.Api == "chat" ? OpenAiApi.Chat : OpenAiApi.Completions, ApiKey(endpoint, environment), EndpointWindow);
            options.Validate();
            return new OpenAiCompatibleClient(new HttpClient(), options);
        }

        if (work.CheckpointRoot is not { } root || work.Model is not { CheckpointJobId: { } job, CheckpointStep: { } step, Architecture: { } architecture })
            throw new ArgumentException($"spec.model.checkpoint: the run resolved no checkpoint store, job, step and model shape for {work.Model.ModelId}");
        return await BuiltinGptClient.OpenAsync(new BuiltinModelSource(root, job, step, architecture), cancellationToken);
    }

    private static string? ApiKey(EndpointModelSpec endpoint, Func<string, string?> environment)
    {
        if (endpoint.ApiKeyEnv is { } variable)
            return environment(variable) is { Length: > 0 } key ? key : throw new ArgumentException($"spec.model.endpoint.apiKeyEnv: environment variable {variable} is not set on the worker");
        if (endpoint.ApiKeyFile is { } file)
            return File.Exists(file) ? File.ReadAllText(file).Trim() : throw new ArgumentException($"spec.model.endpoint.apiKeyFile: '{file}' does not exist on the worker");
        return null;
    }
}
