namespace Orchestrator.Silo.Transport;

/// <summary>
/// TLS between silos and from clients to gateways, and HTTPS on the HTTP API (section <c>Orchestrator:Tls</c>, flags
/// <c>orch up --tls-cert/--tls-key/--tls-ca/--tls-crl/--tls-require-client-cert</c>). On when a certificate is given; the
/// metrics and health endpoints stay plain HTTP on their own port.
/// </summary>
public sealed class TransportSecurityOptions
{
    /// <summary>This silo's certificate: PEM (key in <see cref="KeyFile"/> or the same file) or PKCS#12. Null: TLS off.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/> (a Kubernetes TLS Secret's <c>tls.key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Password of a PKCS#12 <see cref="CertificateFile"/>; null for none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>CA certificate(s), PEM: silos' and client certificates must chain to it. Null: the machine's trusted roots.</summary>
    public string? CaFile { get; set; }

    /// <summary>Mutual TLS: gateway and API clients must present a certificate that chains to the CA.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// A DNS name (or IP address) every silo's certificate must hold as a subject alternative name, checked on both ends
    /// of silo-to-silo connections (for example the headless Service's name); null: the CA and key usages alone decide.
    /// </summary>
    public string? SiloPeerName { get; set; }

    /// <summary>
    /// The CA's certificate revocation lists (PEM <c>X509 CRL</c> blocks or one DER list), each signed by a CA in
    /// <see cref="CaFile"/>: a certificate they revoke is refused in every handshake (silos, gateway and API clients).
    /// Null: no revocation is checked.
    /// </summary>
    public string? CrlFile { get; set; }

    /// <summary>How often <see cref="CrlFile"/> is read again for a new list.</summary>
    public TimeSpan CrlReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether TLS is on.</summary>
    public bool Enabled => CertificateFile is not null;
}
