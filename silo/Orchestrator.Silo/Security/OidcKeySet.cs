using Microsoft.IdentityModel.Tokens;

namespace Orchestrator.Silo.Security;

/// <summary>An identity provider's signing keys as one fetch found them.</summary>
internal sealed record OidcKeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);
