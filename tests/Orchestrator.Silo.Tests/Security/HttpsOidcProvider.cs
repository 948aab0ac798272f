using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Transport;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// An identity provider on 127.0.0.1 over real HTTPS (Kestrel, with a certificate from a CA the test makes and the
/// silo is told to trust): it serves a discovery document and the JSON Web Key Set its <c>jwks_uri</c> names, with
/// keys the test adds and withdraws (a key rotation), and can name another issuer in its document or stop answering.
/// </summary>
internal sealed class HttpsOidcProvider : IAsyncDisposable
{
    private const string Realm = "/realms/ml";
    private readonly ConcurrentDictionary<string, RSA> _published = new();
    private readonly ConcurrentDictionary<string, RSA> _keys = new();
    private readonly WebApplication _app;
    private int _requests;

    private HttpsOidcProvider(WebApplication app, string ca)
    {
        _app = app;
        Ca = ca;
    }

    /// <summary>The CA file the provider's certificate chains to.</summary>
    public string Ca { get; }

    /// <summary>The issuer, <c>https://127.0.0.1:PORT/realms/ml</c>.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>What the discovery document names as issuer; null: <see cref="Issuer"/>.</summary>
    public string? DocumentIssuer { get; set; }

    /// <summary>Requests served (discovery documents and key sets).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<HttpsOidcProvider> StartAsync(string directory)
    {
        var certificates = TestCertificates.Create(directory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        var certificate = X509Certificate2.CreateFromPemFile(certificates.Silo.Certificate, certificates.Silo.Key);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var provider = new HttpsOidcProvider(app, certificates.Ca);
        app.MapGet(Realm + "/.well-known/openid-configuration", provider.Discovery);
        app.MapGet(Realm + "/keys", provider.KeySet);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider.Issuer = new Uri(address).GetLeftPart(UriPartial.Authority) + Realm;
        return provider;
    }

    /// <summary>Settings that discover this provider's keys, trusting its CA.</summary>
    public OidcOptions Options() => new() { Issuer = Issuer, Audience = TestTokens.Audience, CaFile = Ca };

    /// <summary>Makes a signing key and publishes it in the key set.</summary>
    public void Publish(string keyId) => _published[keyId] = _keys.GetOrAdd(keyId, _ => RSA.Create(2048));

    /// <summary>Takes a key out of the key set (tokens it signs can still be made).</summary>
    public void Withdraw(string keyId) => _published.TryRemove(keyId, out _);

    /// <summary>A token signed with the key <paramref name="keyId"/> (made when new, published or not).</summary>
    public string Token(string keyId, string user = "dana", string role = "user") =>
        TestTokens.Sign(_keys.GetOrAdd(keyId, _ => RSA.Create(2048)), keyId, Issuer, user, [role]);

    /// <summary>Stops answering: connections to its port are refused from now on.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        foreach (var key in _keys.Values) key.Dispose();
    }

    private IResult Discovery()
    {
        Interlocked.Increment(ref _requests);
        return Results.Json(new { issuer = DocumentIssuer ?? Issuer, jwks_uri = Issuer + "/keys", id_token_signing_alg_values_supported = new[] { "RS256" } });
    }

    private IResult KeySet()
    {
        Interlocked.Increment(ref _requests);
        return Results.Text(TestTokens.Jwks(_published.Select(k => (k.Key, k.Value))), "application/json");
    }
}
