using System.Net;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// OIDC/JWT bearer tokens: one the configured issuer signed for this audience is accepted with the role its claim maps
/// to, through the gateway and the HTTP API; a wrong issuer, a wrong audience, an expired token and a bad signature are
/// each refused and counted.
/// </summary>
[Collection(SecureDaemonCollection.Name)]
public sealed class OidcTokenTests(SecureDaemonFixture daemon)
{
    [Fact]
    public async Task A_token_is_checked_for_signature_issuer_audience_and_expiry_and_its_claims_give_user_and_role()
    {
        var directory = TestJobs.TemporaryDirectory("oidc");
        using var issuer = new TestOidcIssuer(directory);
        var oidc = issuer.Options;
        oidc.Roles["ml-ops"] = Role.Operator;
        var authenticator = new Authenticator(Options.Create(new SecurityOptions { Document = AuthFile.Empty(), Oidc = oidc }));

        var dana = await authenticator.AuthenticateAsync(issuer.Token("dana", ["ml-users", "ml-ops"]));
        Assert.Equal(("dana", Role.Operator), (dana!.User, dana.Role!.Value));
        Assert.Null(await authenticator.AuthenticateAsync(issuer.Token("dana", ["ml-users"])));
        Assert.Null(await authenticator.AuthenticateAsync(issuer.Token("dana", ["ml-ops"], issuer: "https://evil.example")));
        Assert.Null(await authenticator.AuthenticateAsync(issuer.Token("dana", ["ml-ops"], audience: "someone-else")));
        Assert.Null(await authenticator.AuthenticateAsync(issuer.Token("dana", ["ml-ops"], expiresIn: TimeSpan.FromMinutes(-5))));
        Assert.Null(await authenticator.AuthenticateAsync(issuer.Token("dana", ["ml-ops"], strangersKey: true)));

        oidc.JwksFile = Path.Combine(directory, "missing.json");
        Assert.Contains("JwksFile", Assert.Throws<ArgumentException>(() => new Authenticator(Options.Create(new SecurityOptions { Document = AuthFile.Empty(), Oidc = oidc }))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_running_daemon_accepts_a_valid_token_on_the_gateway_and_the_API_and_counts_each_bad_one()
    {
        var issuer = daemon.Oidc;
        var operatorClient = await daemon.ClientAsync(issuer.Token("erin", ["operator"]));
        Assert.NotNull(await operatorClient.GetClusterAsync());
        using (var request = daemon.Request(HttpMethod.Get, "/v1/cluster", issuer.Token("erin", ["operator"])))
            Assert.Equal(HttpStatusCode.OK, (await daemon.Http.SendAsync(request)).StatusCode);

        string[] bad =
        [
            issuer.Token("erin", ["operator"], issuer: "https://evil.example"),
            issuer.Token("erin", ["operator"], audience: "someone-else"),
            issuer.Token("erin", ["operator"], expiresIn: TimeSpan.FromMinutes(-5)),
            issuer.Token("erin", ["operator"], strangersKey: true),
        ];
        foreach (var token in bad)
        {
            var before = daemon.Metrics.RefusedCount("unauthenticated");
            var client = await daemon.ClientAsync(token);
            Assert.False((await Assert.ThrowsAsync<AccessDeniedException>(() => client.GetClusterAsync())).Authenticated);
            using var request = daemon.Request(HttpMethod.Get, "/v1/cluster", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Http.SendAsync(request)).StatusCode);
            Assert.Equal(before + 2, daemon.Metrics.RefusedCount("unauthenticated"));
        }
    }
}
