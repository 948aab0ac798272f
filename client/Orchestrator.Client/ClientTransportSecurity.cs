using Orleans.Connections.Security;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Client;

/// <summary>Puts Orleans' TLS on a client's gateway connections, trusting the configured CA.</summary>
internal static class ClientTransportSecurity
{
    /// <exception cref="ArgumentException">A file is missing or unreadable; the message names the flag.</exception>
    public static IClientBuilder UseOrchestratorTls(this IClientBuilder client, ClientTlsOptions options)
    {
        if (options.KeyFile is not null && options.CertificateFile is null)
            throw new ArgumentException("--tls-key: a key needs its certificate (--tls-cert)");
        var trust = new CertificateTrust(options.CaFile is null ? null : TransportCertificates.LoadAuthorities(options.CaFile, "--tls-ca"));
        var certificate = options.CertificateFile is null ? null : TransportCertificates.LoadIdentity(options.CertificateFile, options.KeyFile, null, "--tls-cert");
        return client.UseTls(tls =>
        {
            tls.LocalCertificate = certificate;
            // Offered only when the gateway asks (mutual TLS); a gateway that does not ask never sees it.
            tls.ClientCertificateMode = certificate is null ? RemoteCertificateMode.NoCertificate : RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (gateway, chain, _) => trust.Accepts(gateway, chain, CertificateTrust.ServerAuthentication);
        });
    }
}
