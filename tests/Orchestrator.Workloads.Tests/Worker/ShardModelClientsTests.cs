using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Worker;

namespace Orchestrator.Workloads.Tests.Worker;

/// <summary>The model a shard's worker opens: an endpoint's key comes from the variable or file the spec names, never the spec.</summary>
public sealed class ShardModelClientsTests
{
    private static EvaluationShardWork Work(EndpointModelSpec endpoint) => new(
        "run", 0, 1, 0, 1,
        new EvaluationJobSpec(new JobMetadata("e"), new EvaluationModelSpec(null, endpoint), [], [], [], 1, new ResourcesSpec(1)),
        new ResolvedModel(ResolvedModel.EndpointId(endpoint), Endpoint: endpoint), "/results", "/cache", null);

    [Fact]
    public async Task An_endpoint_key_is_read_from_the_named_variable_and_a_missing_one_is_refused_naming_the_field()
    {
        var endpoint = new EndpointModelSpec("http://127.0.0.1:9/v1", "m", "chat", ApiKeyEnv: "EVAL_KEY");

        using var client = (OpenAiCompatibleClient)await ShardModelClients.OpenAsync(Work(endpoint), name => name == "EVAL_KEY" ? "sk-test" : null, CancellationToken.None);
        Assert.StartsWith("openai-chat:", client.ModelId);

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => ShardModelClients.OpenAsync(Work(endpoint), _ => null, CancellationToken.None));
        Assert.Contains("spec.model.endpoint.apiKeyEnv", missing.Message);
        Assert.Contains("EVAL_KEY", missing.Message);
    }

    [Fact]
    public async Task An_endpoint_key_file_must_exist_on_the_worker()
    {
        var file = Path.Combine(Path.GetTempPath(), $"key-{Guid.NewGuid():N}");
        var endpoint = new EndpointModelSpec("http://127.0.0.1:9/v1", "m", ApiKeyFile: file);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => ShardModelClients.OpenAsync(Work(endpoint), _ => null, CancellationToken.None));
        Assert.Contains("spec.model.endpoint.apiKeyFile", missing.Message);

        File.WriteAllText(file, "sk-file\n");
        using var client = (OpenAiCompatibleClient)await ShardModelClients.OpenAsync(Work(endpoint), _ => null, CancellationToken.None);
        Assert.StartsWith("openai:", client.ModelId);
    }

    [Fact]
    public async Task A_checkpoint_model_without_a_store_is_refused()
    {
        var work = Work(new EndpointModelSpec("http://127.0.0.1:9/v1", "m")) with { Model = new ResolvedModel("builtin:j@1", "j", 1, null) };
        Assert.Contains("spec.model.checkpoint", (await Assert.ThrowsAsync<ArgumentException>(() => ShardModelClients.OpenAsync(work, _ => null, CancellationToken.None))).Message);
    }
}
