namespace Orchestrator.Cli.Tests;

/// <summary><c>orch apply</c> reads Queue and PriorityClass documents and refuses bad ones naming the field.</summary>
public sealed class ApplyCommandTests
{
    private static string Example => File.ReadAllText(Orch.RepositoryFile("examples/scheduling/queues.yaml"));

    private static string Write(string text)
    {
        var path = Path.Combine(Orch.TemporaryDirectory(), "queues.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task The_example_file_is_valid_and_lists_every_document()
    {
        var result = await Orch.RunAsync("apply", Orch.RepositoryFile("examples/scheduling/queues.yaml"), "--dry-run");

        Assert.True(result.Exit == 0, result.Error);
        Assert.Equal(["queue/research valid (dry run)", "queue/prod valid (dry run)", "priorityclass/production valid (dry run)",
            "priorityclass/best-effort valid (dry run)"], result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("nominal: 64\n      borrowingLimit: 32", "nominal: -1\n      borrowingLimit: 32", "documents[0].spec.quotas[0].nominal: must be 0 or more, got -1 (line 12)")]
    [InlineData("lendingLimit: 32", "lendingLimit: 65", "documents[1].spec.quotas[0].lendingLimit: must be between 0 and the nominal quota (64), got 65")]
    [InlineData("fairShareWeight: 2", "fairShareWeight: 0", "documents[1].spec.fairShareWeight: must be a number above 0")]
    [InlineData("fairShareWeight: 2", "fairShareWeigth: 2", "documents[1].spec.fairShareWeigth: unknown field")]
    [InlineData("preemptionPolicy: Never", "preemptionPolicy: Sometimes", "documents[3].spec.preemptionPolicy: 'Sometimes' is not allowed; use one of Never, LowerPriority, ReclaimBorrowed")]
    [InlineData("kind: PriorityClass\nmetadata:\n  name: best-effort", "kind: Queues\nmetadata:\n  name: best-effort", "documents[3].kind: 'Queues' cannot be applied; allowed kinds: Queue, PriorityClass")]
    [InlineData("name: prod", "name: research", "documents[1].metadata.name: Queue 'research' is also defined by documents[0]")]
    [InlineData("name: prod", "name: Prod", "documents[1].metadata.name: 'Prod' is not a valid name")]
    [InlineData("value: 1000", "value: high", "documents[2].spec.value: must be an integer, got 'high'")]
    [InlineData("- gpuType: a100-80gb", "- gpuType: h100-80gb", "documents[0].spec.quotas[1].gpuType: 'h100-80gb' is listed twice")]
    public async Task A_bad_document_is_refused_naming_the_field(string from, string to, string expected)
    {
        Assert.Contains(from, Example);
        var result = await Orch.RunAsync("apply", Write(Example.Replace(from, to)), "--dry-run");

        Assert.Equal(1, result.Exit);
        Assert.Contains(expected, result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task A_queue_without_a_cohort_may_not_borrow_or_lend()
    {
        var result = await Orch.RunAsync("apply", Write(Example.Replace("  cohort: lab\n  fairShareWeight: 1\n", "")), "--dry-run");

        Assert.Equal(1, result.Exit);
        Assert.Contains("documents[0].spec.quotas[0]: borrowingLimit and lendingLimit need spec.cohort", result.Error);
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var result = await Orch.RunAsync("apply", Write("# nothing here\n"), "--dry-run");

        Assert.Equal(1, result.Exit);
        Assert.Contains("holds no document; expected one or more of kind Queue or PriorityClass", result.Error);
    }

    [Fact]
    public async Task A_job_may_not_give_both_a_priority_and_a_priority_class()
    {
        var job = File.ReadAllText(Orch.RepositoryFile("examples/gpt-tiny.yaml"));
        Assert.Contains("  priority: 0\n", job);
        job = job.Replace("  priority: 0\n", "  priority: 0\n  priorityClass: production\n");
        var path = Path.Combine(Orch.TemporaryDirectory(), "job.yaml");
        await File.WriteAllTextAsync(path, job);

        var result = await Orch.RunAsync("submit", path, "--gateway", $"127.0.0.1:{Orch.FreePort()}");

        Assert.Equal(1, result.Exit);
        Assert.Contains("metadata.priorityClass: give metadata.priority or metadata.priorityClass, not both", result.Error);
    }
}
