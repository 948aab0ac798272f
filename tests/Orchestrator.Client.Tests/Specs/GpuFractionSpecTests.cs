using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Tests.Specs;

/// <summary><c>resources.gpuFraction</c>: read from training and evaluation documents, refused with its field path.</summary>
public sealed class GpuFractionSpecTests
{
    private const string Training = """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: small-inference }
        spec:
          model: { family: gpt, layers: 2, hidden: 64, heads: 4, sequenceLength: 32, vocabulary: 128 }
          data: { source: "builtin:synthetic" }
          training: { globalBatch: 4, steps: 10 }
          parallelism: { tensor: 1, pipeline: 1, data: 1 }
          resources: { gpus: 1, gpuFraction: 0.25 }
        """;

    private const string Evaluation = """
        apiVersion: orchestrator/v1
        kind: EvaluationJob
        metadata: { name: eval-shared }
        spec:
          model:
            checkpoint: { job: gpt-small, step: 200 }
          scenarios: [ moby-dick ]
          metrics: [ exact_match ]
          shards: 4
          resources: { gpus: 1, gpuFraction: 0.3 }
        """;

    [Fact]
    public void A_share_of_one_gpu_is_read_in_thousandths()
    {
        var spec = JobSpecLoader.Parse(Training);

        Assert.Equal(new ResourcesSpec(1, null, null, 0.25), spec.Resources);
        Assert.Equal(250, spec.Resources.GpuMilli);
        Assert.Null(new ResourcesSpec(1).GpuMilli);
    }

    [Fact]
    public void Evaluation_shards_carry_the_share_they_ask_for()
    {
        var spec = JobSpecLoader.ParseDocument(Evaluation, "/base").Evaluation!;

        Assert.Equal(300, spec.Resources.GpuMilli);
    }

    [Theory]
    [InlineData("gpuFraction: 0.25", "gpuFraction: 0", "must be greater than 0 and less than 1")]
    [InlineData("gpuFraction: 0.25", "gpuFraction: 1", "must be greater than 0 and less than 1")]
    [InlineData("gpuFraction: 0.25", "gpuFraction: 1.5", "must be greater than 0 and less than 1")]
    [InlineData("gpuFraction: 0.25", "gpuFraction: -0.5", "must be greater than 0 and less than 1")]
    [InlineData("gpuFraction: 0.25", "gpuFraction: NaN", "must be greater than 0 and less than 1")]
    [InlineData("gpuFraction: 0.25", "gpuFraction: 0.0005", "in steps of 0.001")]
    [InlineData("gpuFraction: 0.25", "gpuFraction: half", "must be a number")]
    public void A_share_outside_zero_to_one_is_refused_with_its_field(string from, string to, string message)
    {
        var error = Assert.Single(Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(Training.Replace(from, to))).Errors);

        Assert.Equal("spec.resources.gpuFraction", error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_share_goes_with_exactly_one_gpu()
    {
        var training = Training.Replace("gpus: 1,", "gpus: 2,").Replace("data: 1 }", "data: 2 }");
        var errors = Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(training)).Errors;
        var error = Assert.Single(errors, e => e.Path == "spec.resources.gpuFraction");
        Assert.Contains("needs resources.gpus 1, got 2", error.Message);

        var evaluation = Assert.Throws<JobSpecException>(() => JobSpecLoader.ParseDocument(Evaluation.Replace("gpus: 1,", "gpus: 4,"), "/base")).Errors;
        Assert.Contains(evaluation, e => e.Path == "spec.resources.gpuFraction" && e.Message.Contains("needs resources.gpus 1, got 4", StringComparison.Ordinal));
    }
}
