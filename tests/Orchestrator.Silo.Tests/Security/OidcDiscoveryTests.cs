using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// OIDC keys discovered from the issuer, against a real HTTPS provider on 127.0.0.1: key rotation works without a
/// restart (a rotated-in key at once, a withdrawn one refused once the keys are refreshed), unknown keys fetch at most
/// once per minimum interval, a document naming another issuer or a provider that cannot be reached refuses tokens
/// with a logged error, and an outage keeps the last good keys. The refresh intervals run on a manual clock.
/// </summary>
public sealed class OidcDiscoveryTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly RecordedLogs _logs = new();

    [Fact]
    public async Task A_rotated_in_key_is_accepted_at_once_and_a_withdrawn_key_is_refused_after_the_refresh_interval()
    {
        await using var provider = await PublishingK1Async("oidc-rotate");
        using var authenticator = Authenticator(provider.Options());

        Assert.Equal("dana", (await authenticator.AuthenticateAsync(provider.Token("k1")))?.User);
        Assert.Equal(2, provider.Requests); // the discovery document, then the key set

        // The provider rotates: it publishes k2 and signs with it. The first k2 token has the keys fetched again.
        provider.Publish("k2");
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("erin", (await authenticator.AuthenticateAsync(provider.Token("k2", "erin")))?.User);
        Assert.Equal(4, provider.Requests);

        // k1 is withdrawn: its tokens are still accepted until the keys are refreshed, then refused; k2's stay good.
        provider.Withdraw("k1");
        Assert.NotNull(await authenticator.AuthenticateAsync(provider.Token("k1")));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await authenticator.AuthenticateAsync(provider.Token("k1")));
        Assert.NotNull(await authenticator.AuthenticateAsync(provider.Token("k2")));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("1 signing key(s) (k2)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_naming_unknown_keys_fetch_the_keys_at_most_once_per_minimum_interval()
    {
        await using var provider = await PublishingK1Async("oidc-unknown");
        using var authenticator = Authenticator(provider.Options());
        Assert.NotNull(await authenticator.AuthenticateAsync(provider.Token("k1")));

        for (var i = 0; i < 5; i++) Assert.Null(await authenticator.AuthenticateAsync(provider.Token($"forged-{i}")));
        Assert.Equal(2, provider.Requests); // within the minimum interval of the first fetch: none again

        _clock.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 5; i++) Assert.Null(await authenticator.AuthenticateAsync(provider.Token($"forged-{i}")));
        Assert.Equal(4, provider.Requests); // one fetch for the five
    }

    [Fact]
    public async Task A_document_naming_another_issuer_is_refused_and_logged_and_an_outage_keeps_the_last_good_keys()
    {
        await using var provider = await PublishingK1Async("oidc-issuer");
        provider.DocumentIssuer = "https://evil.example/realms/ml";
        using var authenticator = Authenticator(provider.Options());

        Assert.Null(await authenticator.AuthenticateAsync(provider.Token("k1")));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error
            && e.Message.Contains("names issuer 'https://evil.example/realms/ml', not the configured", StringComparison.Ordinal)
            && e.Message.Contains("every OIDC token is refused", StringComparison.Ordinal));

        provider.DocumentIssuer = null;
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull(await authenticator.AuthenticateAsync(provider.Token("k1")));

        // The provider goes away; the keys grow stale, the fetch fails, and the last good keys still serve.
        await provider.StopAsync();
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.NotNull(await authenticator.AuthenticateAsync(provider.Token("k1")));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("stay in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_whose_certificate_is_not_trusted_gives_no_keys_and_bad_settings_are_refused_by_name()
    {
        await using var provider = await PublishingK1Async("oidc-trust");
        var untrusted = provider.Options();
        untrusted.CaFile = null; // the machine's roots, which do not hold the test's CA
        using (var authenticator = Authenticator(untrusted))
            Assert.Null(await authenticator.AuthenticateAsync(provider.Token("k1")));
        Assert.Equal(0, provider.Requests);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(provider.Issuer + "/.well-known/openid-configuration failed", StringComparison.Ordinal));

        var plain = provider.Options();
        plain.Issuer = "http://127.0.0.1:1/realms/ml";
        Assert.Contains("is not HTTPS", Assert.Throws<ArgumentException>(() => Authenticator(plain)).Message, StringComparison.Ordinal);
        var hasty = provider.Options();
        hasty.MinimumRefreshInterval = TimeSpan.Zero;
        Assert.Contains("Oidc:MinimumRefreshInterval", Assert.Throws<ArgumentException>(() => Authenticator(hasty)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_fetches_the_discovered_keys_as_it_starts_so_a_wrong_issuer_is_logged_before_any_token()
    {
        await using var provider = await PublishingK1Async("oidc-start");
        provider.DocumentIssuer = "https://evil.example/realms/ml";
        using var authenticator = Authenticator(provider.Options());
        using var warmUp = new OidcKeyWarmUp(authenticator);

        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!;
        Assert.Equal(2, provider.Requests);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("names issuer 'https://evil.example/realms/ml'", StringComparison.Ordinal));
    }

    /// <summary>A provider publishing one key, <c>k1</c>.</summary>
    private static async Task<HttpsOidcProvider> PublishingK1Async(string purpose)
    {
        var provider = await HttpsOidcProvider.StartAsync(TestJobs.TemporaryDirectory(purpose));
        provider.Publish("k1");
        return provider;
    }

    private Authenticator Authenticator(OidcOptions oidc) =>
        new(Options.Create(new SecurityOptions { Document = AuthFile.Empty(), Oidc = oidc }), _logs.Factory(), _clock);
}
