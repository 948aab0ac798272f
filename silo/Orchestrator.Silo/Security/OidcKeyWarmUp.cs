using Microsoft.Extensions.Hosting;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Fetches the OIDC provider's keys as the silo starts, when they are discovered from the issuer, so that a wrong
/// issuer, an unreachable provider or an untrusted certificate is logged at start rather than at the first token. It
/// runs beside the start rather than in it: a provider that does not answer must not keep the control plane down (API
/// tokens work without it).
/// </summary>
internal sealed class OidcKeyWarmUp(Authenticator authenticator) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => authenticator.PrepareOidcKeysAsync(stoppingToken);
}
