using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Tests.Specs;

/// <summary><c>spec.timeLimit</c> and <c>spec.dependsOn</c>: read from the document, refused with their field paths.</summary>
public sealed class LifecycleSpecTests
{
    private const string Valid = """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: evaluate-after }
        spec:
          model: { layers: 2, hidden: 32, heads: 4, sequenceLength: 16, vocabulary: 64 }
          training: { globalBatch: 4, steps: 20, optimizer: { name: adamw, learningRate: 3.0e-3 } }
          resources: { gpus: 1 }
          timeLimit: 90m
          dependsOn: [pretrain-x7k2p, tokenize-b4m9q]
        """;

    private static IReadOnlyList<SpecError> Errors(string from, string to)
    {
        Assert.Contains(from, Valid);
        return Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(Valid.Replace(from, to))).Errors;
    }

    [Fact]
    public void Reads_the_time_limit_and_the_dependencies()
    {
        var spec = JobSpecLoader.Parse(Valid);

        Assert.Equal(TimeSpan.FromMinutes(90), spec.TimeLimit);
        Assert.Equal(["pretrain-x7k2p", "tokenize-b4m9q"], spec.DependsOn);
    }

    [Theory]
    [InlineData("2h", 7200)]
    [InlineData("90s", 90)]
    [InlineData("1.5h", 5400)]
    public void Time_limits_take_the_time_forms(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), LifecycleSpecRules.ParseTimeLimit(text));

    [Theory]
    [InlineData("soon")]
    [InlineData("500")]
    [InlineData("auto")]
    [InlineData("-5m")]
    public void A_time_limit_that_is_not_a_time_is_refused_at_its_path(string text)
    {
        var error = Assert.Single(Errors("timeLimit: 90m", $"timeLimit: \"{text}\""));

        Assert.Equal("spec.timeLimit", error.Path);
        Assert.Contains("'90s', '90m' or '2h'", error.Message);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void A_time_limit_over_a_year_is_refused()
    {
        var error = Assert.Single(Errors("timeLimit: 90m", "timeLimit: 9000h"));

        Assert.Equal("spec.timeLimit", error.Path);
        Assert.Contains("at most 365 days", error.Message);
    }

    [Fact]
    public void Dependencies_must_be_job_ids_named_once()
    {
        var errors = Errors("dependsOn: [pretrain-x7k2p, tokenize-b4m9q]", "dependsOn: [pretrain-x7k2p, Not_An_Id, pretrain-x7k2p]");

        Assert.Collection(errors,
            e => Assert.Equal(("spec.dependsOn[1]", true), (e.Path, e.Message.Contains("is not valid", StringComparison.Ordinal))),
            e => Assert.Equal(("spec.dependsOn[2]", "job 'pretrain-x7k2p' is named twice"), (e.Path, e.Message)));
    }

    [Fact]
    public void A_single_dependency_may_be_written_plainly_and_a_mapping_is_refused()
    {
        Assert.Equal(["pretrain-x7k2p"], JobSpecLoader.Parse(Valid.Replace("[pretrain-x7k2p, tokenize-b4m9q]", "pretrain-x7k2p")).DependsOn);
        Assert.Equal("spec.dependsOn", Assert.Single(Errors("[pretrain-x7k2p, tokenize-b4m9q]", "{ job: pretrain-x7k2p }")).Path);
    }
}
