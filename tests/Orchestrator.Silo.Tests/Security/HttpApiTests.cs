using System.Net;
using System.Text.Json;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>The HTTP/JSON API: a curl-like round trip to Succeeded over Server-Sent Events, and the same refusals as the gateway.</summary>
[Collection(SecureDaemonCollection.Name)]
public sealed class HttpApiTests(SecureDaemonFixture daemon)
{
    private const string Document = """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: http-job, queue: research, priority: 5 }
        spec:
          model: { family: gpt, layers: 2, hidden: 32, heads: 4, sequenceLength: 16, vocabulary: 64 }
          data: { source: builtin:synthetic }
          training: { globalBatch: 4, steps: 5, optimizer: { name: adamw, learningRate: 3.0e-3 } }
          resources: { gpus: 1, gpuType: cpu }
        """;

    [Fact]
    public async Task Submit_then_follow_the_event_stream_until_the_job_succeeds()
    {
        using var submitted = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Post, "/v1/jobs", daemon.Alice, Document));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        using var stream = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Get, $"/v1/jobs/{id}/events", daemon.Alice), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var events = new List<string>();
        string? end = null;
        var acted = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) events.Add(line[7..]);
            if (line.StartsWith("data: ", StringComparison.Ordinal) && events[^1] == "end") end = line[6..];
            if (!acted && events.Count > 0)
            {
                // Act as the job's worker, with the secret its assignment carries.
                acted = true;
                var assignment = await daemon.LaunchedAsync(id);
                var worker = (await daemon.ClientAsync(assignment.Credential)).Grains.GetGrain<IJobGrain>(id);
                await worker.HeartbeatAsync(assignment.Attempt, assignment.Node);
                await worker.ReportStepAsync(assignment.Attempt, assignment.Node, new Contracts.Workers.StepReport(5, 3.1, 320, 0.01, 1000));
                await worker.ReportCompletedAsync(assignment.Attempt, assignment.Node);
            }
        }

        Assert.Contains("event", events);
        Assert.Contains("progress", events);
        Assert.Equal("end", events[^1]);
        Assert.Contains("Succeeded", end, StringComparison.Ordinal);

        using var got = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Get, $"/v1/jobs/{id}", daemon.Alice));
        Assert.Equal("Succeeded", JsonDocument.Parse(await got.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
        using var logs = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Get, $"/v1/jobs/{id}/logs?offset=0", daemon.Alice));
        Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
    }

    [Fact]
    public async Task A_refused_document_answers_400_naming_every_field()
    {
        using var response = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Post, "/v1/jobs", daemon.Alice,
            Document.Replace("layers: 2", "layers: -2", StringComparison.Ordinal).Replace("priority: 5", "priority: 99", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("spec.model.layers", errors);

        using var capped = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Post, "/v1/jobs", daemon.Alice, Document.Replace("priority: 5", "priority: 99", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, capped.StatusCode);
        Assert.Contains("metadata.priority", await capped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_endpoint_refuses_no_token_and_another_users_token()
    {
        using var submitted = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Post, "/v1/jobs", daemon.Alice, Document));
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var (tried, accepted) = await HttpEndpointProbe.RunAsync(daemon.Http, id, Document, daemon.Bob);
        Assert.Empty(accepted);
        Assert.Equal(14, tried);
        using var anonymous = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Get, "/v1/queue", null));
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());

        using var list = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Get, "/v1/jobs", daemon.Bob));
        Assert.DoesNotContain(id, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var traversal = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Get, "/v1/jobs/..%2F..%2Fetc/logs", daemon.Admin));
        Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        using var cancel = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Post, $"/v1/jobs/{id}/cancel", daemon.Alice));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_routes()
    {
        var document = JsonDocument.Parse(await daemon.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/cancel", "/v1/jobs/{id}/logs", "/v1/jobs/{id}/events", "/v1/cluster", "/v1/queue" })
            Assert.Contains(path, paths);
    }
}
