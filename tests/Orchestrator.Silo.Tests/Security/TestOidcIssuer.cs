using System.Security.Cryptography;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// An identity provider made by the test: an RSA signing key, its JSON Web Key Set written to a file (what a provider
/// serves at its <c>jwks_uri</c>), and tokens signed with it (or with a key of nobody's).
/// </summary>
internal sealed class TestOidcIssuer : IDisposable
{
    public const string Issuer = "https://login.test.example/realms/ml";
    public const string Audience = TestTokens.Audience;

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);

    public TestOidcIssuer(string directory)
    {
        JwksFile = Path.Combine(directory, "jwks.json");
        File.WriteAllText(JwksFile, TestTokens.Jwks([("test-key", _key)]));
    }

    public string JwksFile { get; }

    public OidcOptions Options => new() { Issuer = Issuer, Audience = Audience, JwksFile = JwksFile };

    /// <summary>A token for <paramref name="user"/> with <paramref name="roles"/>; the other arguments spoil it one way each.</summary>
    public string Token(string user, string[] roles, string issuer = Issuer, string audience = Audience, TimeSpan? expiresIn = null, bool strangersKey = false) =>
        TestTokens.Sign(strangersKey ? _stranger : _key, "test-key", issuer, user, roles, audience, expiresIn);

    public void Dispose()
    {
        _key.Dispose();
        _stranger.Dispose();
    }
}
