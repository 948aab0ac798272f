using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>What the test identity providers share: a JSON Web Key Set of RSA keys, and tokens signed with one of them.</summary>
internal static class TestTokens
{
    public const string Audience = "orchestrator";

    /// <summary>The key set a provider publishes at its <c>jwks_uri</c>.</summary>
    public static string Jwks(IEnumerable<(string KeyId, RSA Key)> keys) => JsonSerializer.Serialize(new
    {
        keys = keys.Select(k =>
        {
            var parameters = k.Key.ExportParameters(false);
            return new { kty = "RSA", use = "sig", alg = "RS256", kid = k.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
        }).ToArray(),
    });

    /// <summary>A token for <paramref name="user"/> with <paramref name="roles"/>, signed with <paramref name="key"/> under <paramref name="keyId"/>.</summary>
    public static string Sign(RSA key, string keyId, string issuer, string user, string[] roles, string audience = Audience, TimeSpan? expiresIn = null)
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
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
    }
}
