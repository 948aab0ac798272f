using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// An identity provider made by the test: an RSA signing key, its JSON Web Key Set written to a file (what a provider
/// serves at its <c>jwks_uri</c>), and tokens signed with it (or with a key of nobody's).
/// </summary>
internal sealed class TestOidcIssuer : IDisposable
{
    public const string Issuer = "https://login.test.example/realms/ml";
    public const string Audience = "orchestrator";

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);

    public TestOidcIssuer(string directory)
    {
        JwksFile = Path.Combine(directory, "jwks.json");
        var parameters = _key.ExportParameters(false);
        var jwks = new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "test-key", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } } };
        File.WriteAllText(JwksFile, JsonSerializer.Serialize(jwks));
    }

    public string JwksFile { get; }

    public OidcOptions Options => new() { Issuer = Issuer, Audience = Audience, JwksFile = JwksFile };

    /// <summary>A token for <paramref name="user"/> with <paramref name="roles"/>; the other arguments spoil it one way each.</summary>
    public string Token(string user, string[] roles, string issuer = Issuer, string audience = Audience, TimeSpan? expiresIn = null, bool strangersKey = false)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = user, ["roles"] = roles },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(strangersKey ? _stranger : _key) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose()
    {
        _key.Dispose();
        _stranger.Dispose();
    }
}
