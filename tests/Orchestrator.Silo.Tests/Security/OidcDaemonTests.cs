using System.Net;
using System.Net.Http.Headers;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Integration;
using Orchestrator.Silo.Tests.Transport;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// A daemon configured with only the issuer (no key file) against a real HTTPS provider on 127.0.0.1: it fetches the
/// keys as it starts, accepts the provider's tokens on the HTTP API, and accepts a rotated-in key without a restart.
/// </summary>
public sealed class OidcDaemonTests
{
    [Fact]
    public async Task A_daemon_given_only_the_issuer_discovers_the_keys_at_start_and_follows_a_key_rotation()
    {
        var directory = TestJobs.TemporaryDirectory("oidc-daemon");
        await using var provider = await HttpsOidcProvider.StartAsync(directory);
        provider.Publish("k1");
        var options = DaemonHost.Options(directory);
        options.Backend = "simulated";
        options.Api.Port = FreePorts.Next();
        options.Security.AuthFile = Path.Combine(directory, "auth.json");
        AuthFile.AddToken(options.Security.AuthFile, "root", Role.Admin, [], DateTimeOffset.UtcNow);
        options.Security.Oidc = provider.Options();
        // Real time here: the minimum interval is made short so that the rotated-in key's token may fetch at once.
        options.Security.Oidc.MinimumRefreshInterval = TimeSpan.FromMilliseconds(1);
        using var host = await DaemonHost.StartAsync(options, services: TransportSecurityTests.WithApi);

        // Fetched at start, before any token arrived.
        for (var i = 0; i < 200 && provider.Requests < 2; i++) await Task.Delay(50);
        Assert.Equal(2, provider.Requests);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{options.Api.Port}") };
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, provider.Token("k1", "erin", "operator")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, provider.Token("k2", "erin", "operator")));
        provider.Publish("k2");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, provider.Token("k2", "erin", "operator")));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
