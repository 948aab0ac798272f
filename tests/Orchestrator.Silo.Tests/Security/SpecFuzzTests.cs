using System.Net;
using System.Text.Json;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>Fuzzing the two doors a document comes in by: the SDK's loader, and the HTTP API.</summary>
[Collection(SecureDaemonCollection.Name)]
public sealed class SpecFuzzTests(SecureDaemonFixture daemon)
{
    [Fact]
    public void Ten_thousand_mutated_documents_never_crash_the_loader_and_every_refusal_names_a_field()
    {
        var documents = SpecFuzz.Sample(10_000);
        var failures = documents.Select(d => (Document: d, Problem: SpecFuzz.Check(d))).Where(r => r.Problem is not null).Take(3).ToList();
        Assert.True(failures.Count == 0, string.Join("\n---\n", failures.Select(f => $"{f.Problem}\n{f.Document}")));
        Assert.Equal(10_000, documents.Length);
    }

    [Fact]
    public async Task Mutated_documents_through_the_HTTP_API_never_answer_500_and_every_refusal_names_a_field()
    {
        var accepted = 0;
        foreach (var document in SpecFuzz.Sample(1_500))
        {
            using var response = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Post, "/v1/jobs", daemon.Alice, document));
            var body = await response.Content.ReadAsStringAsync();
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created:
                    accepted++;
                    var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
                    // Cancelled and removed at once, so the accepted jobs never fill the daemon's four devices.
                    using (var removed = await daemon.Http.SendAsync(daemon.Request(HttpMethod.Delete, $"/v1/jobs/{id}?force=true", daemon.Alice)))
                        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
                    break;
                case HttpStatusCode.BadRequest:
                    var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().ToList();
                    Assert.True(errors.Count > 0 && errors.All(e => e.GetProperty("path").GetString()!.Length > 0), $"400 without a field: {body}\n{document}");
                    break;
                case HttpStatusCode.Forbidden:
                    Assert.True(body.Contains("metadata.queue", StringComparison.Ordinal), $"403 without a field: {body}\n{document}");
                    break;
                default:
                    Assert.Fail($"{(int)response.StatusCode}: {body}\n{document}");
                    break;
            }
        }

        Assert.True(accepted > 0, "no mutated document was accepted: the mutations are too destructive to test acceptance");
    }
}
