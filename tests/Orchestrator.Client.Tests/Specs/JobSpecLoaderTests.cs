using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Tests.Specs;

public sealed class JobSpecLoaderTests
{
    private const string Valid = """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: gpt-small, queue: research, priority: 10 }
        spec:
          model: { family: gpt, layers: 12, hidden: 768, heads: 12, sequenceLength: 1024, vocabulary: gpt2,
                   moe: { experts: 8, topK: 2, every: 2 } }
          data: { source: "file:corpus.txt" }
          training: { globalBatch: 64, steps: 2000, optimizer: { name: adamw, learningRate: 3.0e-4 }, targetLoss: 3.5 }
          parallelism: { tensor: 2, pipeline: 2, data: 2, expert: 2, schedule: 1f1b, microBatch: 4, recompute: selective }
          resources: { gpus: 8, gpuType: h100-80gb, minGpus: 4 }
          checkpoint: { every: auto, keep: 3 }
          runtime: builtin
        """;

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Valid);
        return Valid.Replace(from, to);
    }

    private static SpecError SingleError(string text)
    {
        var e = Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(text));
        return Assert.Single(e.Errors);
    }

    [Fact]
    public void Reads_every_field_of_the_design_document_shape()
    {
        var spec = JobSpecLoader.Parse(Valid);
        Assert.Equal(new JobMetadata("gpt-small", "research", 10), spec.Metadata);
        Assert.Equal(JobSpecLoader.Gpt2Vocabulary, spec.Model.Vocabulary);
        Assert.Equal(new MixtureOfExpertsSpec(8, 2, 2), spec.Model.Moe);
        Assert.Equal("file:corpus.txt", spec.Data.Source);
        Assert.Equal(3.5, spec.Training.TargetLoss);
        Assert.False(spec.Parallelism.Auto);
        Assert.Equal((2, 2, 2, 2, 4, "selective"), (spec.Parallelism.Tensor, spec.Parallelism.Pipeline, spec.Parallelism.Data, spec.Parallelism.Expert, spec.Parallelism.MicroBatch, spec.Parallelism.Recompute));
        Assert.Equal(new ResourcesSpec(8, "h100-80gb", 4), spec.Resources);
        Assert.Null(spec.Checkpoint.EverySteps);
        Assert.True(spec.Runtime.IsBuiltIn);
    }

    [Theory]
    [InlineData("auto", null, null)]
    [InlineData("500", 500, null)]
    [InlineData("250 steps", 250, null)]
    [InlineData("90s", null, 90.0)]
    [InlineData("30m", null, 1800.0)]
    [InlineData("2h", null, 7200.0)]
    public void Checkpoint_every_is_auto_a_step_count_or_a_time(string every, int? steps, double? seconds)
    {
        var spec = JobSpecLoader.Parse(Valid.Replace("every: auto", $"every: {every}"));
        Assert.Equal((steps, seconds), (spec.Checkpoint.EverySteps, spec.Checkpoint.EverySeconds));
        Assert.Equal(steps is null && seconds is null, spec.Checkpoint.IsAuto);
    }

    [Theory]
    [InlineData("soon", "must be 'auto', a whole number of steps")]
    [InlineData("1.5 steps", "must be 'auto', a whole number of steps")]
    [InlineData("0", "spec.checkpoint.every")]
    [InlineData("-5s", "spec.checkpoint.every")]
    public void A_checkpoint_interval_that_is_not_understood_is_refused(string every, string message)
    {
        var error = Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(Valid.Replace("every: auto", $"every: {every}")));
        Assert.Contains("spec.checkpoint.every", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Json_documents_are_read_like_yaml()
    {
        var spec = JobSpecLoader.Parse("""
            {"apiVersion": "orchestrator/v1", "kind": "TrainingJob", "metadata": {"name": "j"},
             "spec": {"model": {"layers": 2, "hidden": 64, "heads": 4, "sequenceLength": 32, "vocabulary": 256},
                      "training": {"globalBatch": 8, "steps": 10}, "parallelism": "auto", "resources": {"gpus": 1}}}
            """);
        Assert.True(spec.Parallelism.Auto);
        Assert.Equal("builtin:synthetic", spec.Data.Source);
    }

    [Fact]
    public void Malformed_yaml_is_refused_with_its_line()
    {
        var error = SingleError("apiVersion: orchestrator/v1\nkind: TrainingJob\n  metadata: x\nspec: {}\n");
        Assert.Equal("document", error.Path);
        Assert.Contains("malformed", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Truncated_flow_yaml_is_refused() =>
        Assert.Equal("document", SingleError("apiVersion: orchestrator/v1\nkind: TrainingJob\nmetadata: { name: [unclosed\nspec: {}\n").Path);

    [Fact]
    public void Unknown_field_names_its_path_line_and_the_allowed_fields()
    {
        var error = SingleError(Replace("heads: 12,", "heads: 12, hiden: 3,"));
        Assert.Equal("spec.model.hiden", error.Path);
        Assert.Equal(5, error.Line);
        Assert.Contains("unknown field", error.Message);
        Assert.Contains("hidden", error.Message);
    }

    [Fact]
    public void Missing_required_field_is_named()
    {
        var error = SingleError(Replace("globalBatch: 64, ", ""));
        Assert.Equal("spec.training.globalBatch", error.Path);
        Assert.Contains("required", error.Message);
    }

    [Theory]
    [InlineData("gpus: 8,", "gpus: 0,", "spec.resources.gpus")]
    [InlineData("layers: 12,", "layers: -3,", "spec.model.layers")]
    [InlineData("steps: 2000,", "steps: 0,", "spec.training.steps")]
    [InlineData("microBatch: 4,", "microBatch: 0,", "spec.parallelism.microBatch")]
    public void Zero_or_negative_sizes_are_refused(string from, string to, string path)
    {
        var e = Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(Replace(from, to)));
        Assert.Contains(e.Errors, error => error.Path == path && error.Message.Contains("positive"));
    }

    [Fact]
    public void Layout_that_does_not_multiply_to_the_gpus_is_refused()
    {
        var error = SingleError(Replace("gpus: 8,", "gpus: 16,"));
        Assert.Equal("spec.parallelism", error.Path);
        Assert.Contains("must equal resources.gpus (16)", error.Message);
        Assert.Equal(9, error.Line);
    }

    [Fact]
    public void Tensor_size_must_divide_the_heads()
    {
        var error = SingleError(Replace("tensor: 2, pipeline: 2, data: 2, expert: 2", "tensor: 8, pipeline: 1, data: 1"));
        Assert.Equal("spec.parallelism.tensor", error.Path);
        Assert.Contains("must divide the 12 attention heads", error.Message);
    }

    [Fact]
    public void Wrong_kind_and_type_mismatch_are_reported_together()
    {
        var e = Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(Replace("kind: TrainingJob", "kind: Deployment").Replace("priority: 10", "priority: high")));
        Assert.Contains(e.Errors, error => error.Path == "kind" && error.Message.Contains("TrainingJob"));
        Assert.Contains(e.Errors, error => error.Path == "metadata.priority" && error.Message.Contains("integer"));
    }

    [Fact]
    public void Names_must_be_dns_labels()
    {
        var error = SingleError(Replace("name: gpt-small", "name: gpt_small."));
        Assert.Equal("metadata.name", error.Path);
    }

    [Fact]
    public void Unknown_schedule_lists_the_allowed_ones()
    {
        var error = SingleError(Replace("schedule: 1f1b", "schedule: zigzag"));
        Assert.Equal("spec.parallelism.schedule", error.Path);
        Assert.Contains("interleaved", error.Message);
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error() =>
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<JobSpecException>(() => JobSpecLoader.LoadAsync("/nonexistent/job.yaml"))).Message);

    [Fact]
    public async Task The_example_jobs_load()
    {
        var examples = Path.Combine(RepositoryRoot(), "examples");
        // Folders of other document kinds: inventories, queues and priority classes, simulation scenarios.
        string[] notJobs = ["inventories", "scheduling", "simulation"];
        var jobs = Directory.GetFiles(examples, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !notJobs.Any(folder => f.Contains(Path.Combine("examples", folder), StringComparison.Ordinal))).ToList();
        Assert.True(jobs.Count > 10);
        foreach (var file in jobs)
            Assert.NotNull(await JobSpecLoader.LoadDocumentAsync(file));
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("repository root not found");
    }
}
