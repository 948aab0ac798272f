using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Transport;

/// <summary>HTTPS for the HTTP API with the silo's certificate when TLS is on; under mutual TLS it asks for client certificates too.</summary>
internal static class ApiTls
{
    /// <returns>The scheme the API serves: <c>https</c> with a certificate, else <c>http</c>.</returns>
    public static string Configure(IWebHostBuilder web, TransportIdentity? identity, CertificateRevocations? revocations)
    {
        if (identity is null) return "http";
        // The slim builder leaves HTTPS out of Kestrel unless asked for.
        web.UseKestrelHttpsConfiguration();
        web.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = identity.Certificate;
            if (!identity.Options.RequireClientCertificate) return;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (peer, chain, _) =>
                identity.Trust.Accepts(peer, chain, CertificateTrust.ClientAuthentication) && (revocations is null || revocations.Allows(peer));
        }));
        return "https";
    }
}
