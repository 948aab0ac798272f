using System.Globalization;
using System.Net;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// <c>orch suspend</c>, <c>resume</c> and <c>delete</c> (of a job and of a scheduling document), <c>spec.dependsOn</c>
/// refusals and held jobs in <c>orch queue</c>, and the HTTP routes for the job actions, against <c>orch up --backend simulated</c>.
/// </summary>
public sealed class LifecycleCommandTests
{
    private const string Spec = """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: NAME }
        spec:
          model: { layers: 2, hidden: 32, heads: 4, sequenceLength: 16, vocabulary: 64 }
          training: { globalBatch: 4, steps: 20, optimizer: { name: adamw, learningRate: 3.0e-3 } }
          resources: { gpus: 1, gpuType: cpu }
          timeLimit: 2h
        """;

    [Fact]
    public async Task Suspend_resume_and_delete_work_from_the_cli_and_the_http_api()
    {
        var data = Orch.TemporaryDirectory();
        var (silo, gateway, api) = (Orch.FreePort(), Orch.FreePort(), Orch.FreePort());
        string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var up = CliApp.RunAsync(["up", "--data-dir", data, "--silo-port", Text(silo), "--gateway-port", Text(gateway), "--metrics-port", "0",
            "--api-port", Text(api), "--backend", "simulated", "--local-devices", "2"], output, new StringWriter(), stop.Token);
        var at = $"127.0.0.1:{gateway}";
        try
        {
            for (var i = 0; i < 240 && !output.ToString().Contains("daemon up", StringComparison.Ordinal); i++)
            {
                await Task.Delay(250);
                Assert.False(up.IsCompleted, $"orch up ended early: {output}");
            }

            var id = await SubmitAsync(data, "pausable", "", at);
            Assert.Equal($"{id}: Suspended", (await Orch.RunAsync("suspend", id, "--gateway", at)).Out.Trim());
            var queue = await Orch.RunAsync("queue", "--gateway", at);
            Assert.Contains("1 held (not queued)", queue.Out, StringComparison.Ordinal);
            Assert.Contains("suspended; orch resume queues it again", queue.Out, StringComparison.Ordinal);
            Assert.Equal($"{id}: Pending", (await Orch.RunAsync("resume", id, "--gateway", at)).Out.Trim());
            Assert.Contains("Limit:     02:00:00", (await Orch.RunAsync("job", id, "--gateway", at)).Out, StringComparison.Ordinal);

            var refused = await Orch.RunAsync("delete", id, "--gateway", at);
            Assert.Equal(1, refused.Exit);
            Assert.Contains("only a finished job can be deleted (--force cancels it first)", refused.Error, StringComparison.Ordinal);
            Assert.Equal($"{id}: deleted", (await Orch.RunAsync("delete", id, "--force", "--gateway", at)).Out.Trim());
            Assert.Equal(1, (await Orch.RunAsync("job", id, "--gateway", at)).Exit);

            var orphan = await Orch.RunAsync("submit", await WriteAsync(data, "orphan", "  dependsOn: [no-such-job]\n"), "--gateway", at);
            Assert.Equal(1, orphan.Exit);
            Assert.Contains("spec.dependsOn[0]: job 'no-such-job' does not exist", orphan.Error, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}") };
            var other = await SubmitAsync(data, "over-http", "", at);
            var suspended = await http.PostAsync($"/v1/jobs/{other}/suspend", null);
            Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
            Assert.Contains("\"state\":\"Suspended\"", await suspended.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/v1/jobs/{other}/resume", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await http.DeleteAsync($"/v1/jobs/{other}")).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/v1/jobs/{other}?force=true")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/jobs/{other}")).StatusCode);

            // Two arguments name a scheduling document (kubectl's delete TYPE NAME); one is always a job id.
            Assert.Equal(0, (await Orch.RunAsync("apply", Orch.RepositoryFile("examples/scheduling/queues.yaml"), "--gateway", at)).Exit);
            Assert.Equal("queue/research deleted", (await Orch.RunAsync("delete", "queue", "research", "--gateway", at)).Out.Trim());
            Assert.Equal("priorityclass/production deleted", (await Orch.RunAsync("delete", "PriorityClass", "production", "--gateway", at)).Out.Trim());
            var missing = await Orch.RunAsync("delete", "queue", "research", "--gateway", at);
            Assert.Equal(1, missing.Exit);
            Assert.Contains("error: queue 'research' is not defined; defined: prod", missing.Error, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await up);
        }
    }

    private static async Task<string> WriteAsync(string folder, string name, string extra)
    {
        var path = Path.Combine(folder, $"{name}.yaml");
        await File.WriteAllTextAsync(path, Spec.Replace("NAME", name, StringComparison.Ordinal) + "\n" + extra);
        return path;
    }

    private static async Task<string> SubmitAsync(string folder, string name, string extra, string gateway)
    {
        var submitted = await Orch.RunAsync("submit", await WriteAsync(folder, name, extra), "--gateway", gateway);
        Assert.True(submitted.Exit == 0, submitted.Error);
        return submitted.Out.Trim();
    }
}
