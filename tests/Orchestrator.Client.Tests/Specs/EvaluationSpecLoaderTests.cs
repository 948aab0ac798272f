using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Tests.Specs;

/// <summary>EvaluationJob documents: read beside TrainingJob, refused with field paths and lines.</summary>
public sealed class EvaluationSpecLoaderTests
{
    private const string Valid = """
        apiVersion: orchestrator/v1
        kind: EvaluationJob
        metadata: { name: eval-small, queue: research, priority: -5 }
        spec:
          model:
            checkpoint: { job: gpt-small, step: 200 }
          adapter: { method: generation, maxTrainInstances: 2, maxTokens: 8, stopSequences: ["\n"], inputPrefix: "" }
          scenarios:
            - moby-dick
            - { name: qa, source: "file:data/qa.jsonl", adapter: { method: multiple_choice_joint, numOutputs: 3 } }
          perturbations: [ lowercase, { name: typos, probability: 0.05, seed: 3 } ]
          metrics: [ exact_match, f1_score ]
          shards: 3
          resources: { gpus: 2, gpuType: h100-80gb }
          maxInstances: 50
        """;

    private static JobSpecException Refused(string text) =>
        Assert.Throws<JobSpecException>(() => JobSpecLoader.ParseDocument(text, "/base"));

    [Fact]
    public void A_valid_document_is_read_with_relative_files_made_absolute_and_the_job_adapter_as_default()
    {
        var spec = JobSpecLoader.ParseDocument(Valid, "/base").Evaluation!;

        Assert.Equal(new JobMetadata("eval-small", "research", -5), spec.Metadata);
        Assert.Equal(new CheckpointModelSpec("gpt-small", "200"), spec.Model.Checkpoint);
        Assert.Equal(200, spec.Model.Checkpoint!.FixedStep);
        Assert.Equal(["moby-dick", "qa"], spec.Scenarios.Select(s => s.Name));
        Assert.Equal("file:/base/data/qa.jsonl", spec.Scenarios[1].Source);
        Assert.Equal(("generation", 2, 8, ""), (spec.Scenarios[0].Adapter.Method, spec.Scenarios[0].Adapter.MaxTrainInstances, spec.Scenarios[0].Adapter.MaxTokens, spec.Scenarios[0].Adapter.InputPrefix));
        Assert.Equal(("multiple_choice_joint", 2, 3), (spec.Scenarios[1].Adapter.Method, spec.Scenarios[1].Adapter.MaxTrainInstances, spec.Scenarios[1].Adapter.NumOutputs));
        Assert.Equal([new PerturbationSpec("lowercase"), new PerturbationSpec("typos", 0.05, 3)], spec.Perturbations);
        Assert.Equal((3, 2, 50), (spec.Shards, spec.Resources.Gpus, spec.MaxInstances));
        Assert.Null(JobSpecLoader.ParseDocument(Valid, "/base").Training);
    }

    [Fact]
    public void Shards_auto_and_an_endpoint_model_are_read()
    {
        var spec = JobSpecLoader.ParseDocument(Valid
            .Replace("checkpoint: { job: gpt-small, step: 200 }", "endpoint: { url: \"http://127.0.0.1:8000/v1\", model: m, api: chat, apiKeyEnv: KEY }")
            .Replace("shards: 3", "shards: auto"), "/base").Evaluation!;

        Assert.Null(spec.Shards);
        Assert.Equal(new EndpointModelSpec("http://127.0.0.1:8000/v1", "m", "chat", "KEY"), spec.Model.Endpoint);
    }

    [Theory]
    [InlineData("step: 200", "step: newest", "spec.model.checkpoint.step", "must be a step number, latest or every")]
    [InlineData("method: multiple_choice_joint", "method: multiple_choice", "spec.scenarios[1].adapter.method", "allowed: generation")]
    [InlineData("probability: 0.05", "probability: 2", "spec.perturbations[1].probability", "between 0 and 1")]
    [InlineData("[ lowercase,", "[ uppercase,", "spec.perturbations[0].name", "allowed: typos")]
    [InlineData("f1_score ]", "accuracy ]", "spec.metrics[1]", "not a reference metric")]
    [InlineData("shards: 3", "shards: 0", "spec.shards", "auto or between 1")]
    [InlineData("shards: 3", "shards: many", "spec.shards", "must be an integer")]
    [InlineData("gpus: 2,", "gpus: 0,", "spec.resources.gpus", "devices per shard")]
    [InlineData("maxInstances: 50", "maxInstances: -1", "spec.maxInstances", "positive")]
    [InlineData("maxTokens: 8", "maxTokens: -8", "spec.scenarios[0].adapter.maxTokens", "0 or more")]
    [InlineData("{ name: qa,", "{ name: moby-dick,", "spec.scenarios[1].name", "used by another scenario")]
    [InlineData("source: \"file:data/qa.jsonl\"", "source: \"file:\"", "spec.scenarios[1].source", "file:PATH.jsonl")]
    [InlineData("shards: 3", "shards: 3\n  colour: red", "spec.colour", "unknown field")]
    [InlineData("name: eval-small", "name: Eval_Small", "metadata.name", "lower-case")]
    public void A_bad_field_is_refused_naming_its_path(string from, string to, string path, string message)
    {
        var error = Refused(Valid.Replace(from, to));

        var found = Assert.Single(error.Errors, e => e.Path == path);
        Assert.Contains(message, found.Message);
        Assert.NotNull(found.Line);
    }

    [Fact]
    public void A_model_needs_exactly_one_of_checkpoint_and_endpoint_and_never_a_key()
    {
        var both = Refused(Valid.Replace("checkpoint: { job: gpt-small, step: 200 }",
            "checkpoint: { job: gpt-small }\n    endpoint: { url: \"http://h/v1\", model: m }"));
        Assert.Contains(both.Errors, e => e.Path == "spec.model" && e.Message.Contains("exactly one"));

        var key = Refused(Valid.Replace("checkpoint: { job: gpt-small, step: 200 }", "endpoint: { url: \"http://h/v1\", model: m, apiKey: sk-123 }"));
        Assert.Contains(key.Errors, e => e.Path == "spec.model.endpoint.apiKey" && e.Message.Contains("never read from the spec"));

        var url = Refused(Valid.Replace("checkpoint: { job: gpt-small, step: 200 }", "endpoint: { url: \"ftp://h\", model: m }"));
        Assert.Contains(url.Errors, e => e.Path == "spec.model.endpoint.url");
    }

    [Fact]
    public void A_model_version_is_read_from_model_from_and_a_malformed_one_or_one_beside_a_checkpoint_is_refused()
    {
        var spec = JobSpecLoader.ParseDocument(Valid.Replace("checkpoint: { job: gpt-small, step: 200 }", "from: gpt-small@prod"), "/base").Evaluation!;
        Assert.Equal(new EvaluationModelSpec(null, null, "gpt-small@prod"), spec.Model);

        var malformed = Refused(Valid.Replace("checkpoint: { job: gpt-small, step: 200 }", "from: gpt-small"));
        var error = Assert.Single(malformed.Errors);
        Assert.Equal("spec.model.from", error.Path);
        Assert.Contains("'gpt-small' is not a model version: write NAME@VERSION", error.Message);

        var both = Refused(Valid.Replace("checkpoint: { job: gpt-small, step: 200 }", "checkpoint: { job: gpt-small }\n    from: gpt-small@1"));
        Assert.Contains(both.Errors, e => e.Path == "spec.model" && e.Message.Contains("exactly one of checkpoint { job, step }, endpoint { url, model, api } or from: NAME@VERSION"));
    }

    [Fact]
    public void Scenarios_are_required()
    {
        var error = Refused(Valid.Replace("  scenarios:\n    - moby-dick\n    - { name: qa, source: \"file:data/qa.jsonl\", adapter: { method: multiple_choice_joint, numOutputs: 3 } }\n", ""));
        Assert.Contains(error.Errors, e => e.Path == "spec.scenarios" && e.Message.Contains("required"));
    }

    [Fact]
    public void A_training_document_still_reads_as_training()
    {
        var training = JobSpecLoader.ParseDocument(File.ReadAllText(Path.Combine(JobSpecLoaderTests.RepositoryRoot(), "examples", "gpt-tiny.yaml")), "/base");
        Assert.NotNull(training.Training);
        Assert.Null(training.Evaluation);
    }

    [Fact]
    public async Task The_example_evaluation_resolves_its_scenarios_beside_it()
    {
        var spec = (await JobSpecLoader.LoadDocumentAsync(Path.Combine(JobSpecLoaderTests.RepositoryRoot(), "examples", "eval-tiny.yaml"))).Evaluation!;
        Assert.All(spec.Scenarios, s => Assert.True(File.Exists(s.Source["file:".Length..]), s.Source));
        Assert.Equal("gpt-tiny", spec.Model.Checkpoint!.Job);
    }
}
