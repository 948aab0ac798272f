using System.Net;
using System.Net.Http.Headers;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// Calls every HTTP API endpoint without a token (expecting 401) and, where a user may not act on another user's job,
/// with another user's token (expecting 403). Shared with the benchmark suite <c>security</c> (linked source).
/// </summary>
public static class HttpEndpointProbe
{
    /// <param name="http">A client whose base address is the API.</param>
    /// <param name="jobId">A job the other user does not own.</param>
    /// <param name="document">A valid job document for the submit endpoint.</param>
    /// <param name="otherUser">The other user's token.</param>
    /// <returns>Requests tried, and a line for each that was not refused as it should be.</returns>
    public static async Task<(int Tried, List<string> Accepted)> RunAsync(HttpClient http, string jobId, string document, string otherUser)
    {
        var endpoints = new (HttpMethod Method, string Path, bool UserWide)[]
        {
            (HttpMethod.Post, "/v1/jobs", true), (HttpMethod.Get, "/v1/jobs", true), (HttpMethod.Get, $"/v1/jobs/{jobId}", false),
            (HttpMethod.Post, $"/v1/jobs/{jobId}/cancel", false), (HttpMethod.Delete, $"/v1/jobs/{jobId}", false), (HttpMethod.Get, $"/v1/jobs/{jobId}/logs", false),
            (HttpMethod.Get, $"/v1/jobs/{jobId}/events", false), (HttpMethod.Get, "/v1/cluster", true), (HttpMethod.Get, "/v1/queue", true),
        };
        var accepted = new List<string>();
        var tried = 0;
        foreach (var (method, path, userWide) in endpoints)
        {
            foreach (var token in userWide ? new string?[] { null } : [null, otherUser])
            {
                tried++;
                using var request = new HttpRequestMessage(method, path);
                if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (method == HttpMethod.Post && path == "/v1/jobs") request.Content = new StringContent(document);
                using var response = await http.SendAsync(request);
                var expected = token is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (response.StatusCode != expected) accepted.Add($"{method} {path} {(token is null ? "without a token" : "as another user")}: {(int)response.StatusCode}");
            }
        }

        return (tried, accepted);
    }
}
