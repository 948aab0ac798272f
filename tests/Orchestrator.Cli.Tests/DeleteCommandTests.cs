namespace Orchestrator.Cli.Tests;

/// <summary><c>orch delete</c>'s two forms are told apart before anything is sent (the gateway here listens to nothing).</summary>
public sealed class DeleteCommandTests
{
    [Theory]
    [InlineData(new[] { "delete", "quota", "research" }, "error: 'quota' is not a kind of document; use orch delete queue NAME, orch delete priorityclass NAME, or orch delete JOB")]
    [InlineData(new[] { "delete", "queue", "research", "--force" }, "error: --force applies to jobs only")]
    public async Task A_document_deletion_that_names_no_kind_or_adds_force_is_refused(string[] args, string expected)
    {
        var result = await Orch.RunAsync([.. args, "--gateway", $"127.0.0.1:{Orch.FreePort()}"]);

        Assert.Equal(1, result.Exit);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }
}
