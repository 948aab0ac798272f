using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Client;

/// <summary>A client's loaded TLS settings: the trust it places in gateways and the certificate it may present.</summary>
internal sealed class ClientTransportSecurity
{
    private ClientTransportSecurity(ClientTlsOptions options, CertificateTrust trust, X509Certificate2? certificate)
    {
        Options = options;
        Trust = trust;
        Certificate = certificate;
    }

    public ClientTlsOptions Options { get; }

    public CertificateTrust Trust { get; }

    public X509Certificate2? Certificate { get; }

    /// <exception cref="ArgumentException">A file is missing or unreadable; the message names the flag.</exception>
    public static ClientTransportSecurity Load(ClientTlsOptions options)
    {
        if (options.KeyFile is not null && options.CertificateFile is null)
            throw new ArgumentException("--tls-key: a key needs its certificate (--tls-cert)");
        var trust = new CertificateTrust(options.CaFile is null ? null : TransportCertificates.LoadAuthorities(options.CaFile, "--tls-ca"));
        var certificate = options.CertificateFile is null ? null : TransportCertificates.LoadIdentity(options.CertificateFile, options.KeyFile, null, "--tls-cert");
        return new ClientTransportSecurity(options, trust, certificate);
    }

    /// <summary>Puts Orleans' TLS on the client's gateway connections.</summary>
    public void Apply(IClientBuilder client) => client.UseTls(tls =>
    {
        tls.LocalCertificate = Certificate;
        // Offered only when the gateway asks (mutual TLS); a gateway that does not ask never sees it.
        tls.ClientCertificateMode = Certificate is null ? RemoteCertificateMode.NoCertificate : RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (gateway, chain, _) => Trust.Accepts(gateway, chain, CertificateTrust.ServerAuthentication);
    });
}
