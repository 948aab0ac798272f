using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Contracts.Security;

/// <summary>
/// Reads the certificates of transport security (TLS) from files as openssl, cert-manager or a mounted Kubernetes
/// TLS Secret write them: PEM (certificate, key, CA bundle) or PKCS#12 (<c>.pfx</c>/<c>.p12</c>, key inside).
/// Every failure is an <see cref="ArgumentException"/> naming the setting and the file.
/// </summary>
public static class TransportCertificates
{
    private const string PemCertificate = "-----BEGIN CERTIFICATE-----";

    /// <summary>A certificate with its private key: this process's identity in TLS handshakes.</summary>
    /// <param name="certificateFile">PEM certificate (its key in <paramref name="keyFile"/> or in the same file) or PKCS#12.</param>
    /// <param name="keyFile">PEM private key (PKCS#1, PKCS#8 or SEC1); null when the certificate file holds it.</param>
    /// <param name="password">The PKCS#12 password; null for none.</param>
    /// <param name="setting">The setting that named the file, for errors (for example <c>--tls-cert</c>).</param>
    /// <exception cref="ArgumentException">The file is missing, unreadable, has no private key, or the certificate has expired.</exception>
    public static X509Certificate2 LoadIdentity(string certificateFile, string? keyFile, string? password, string setting)
    {
        RequireFile(certificateFile, setting);
        if (keyFile is not null) RequireFile(keyFile, setting + " key");
        X509Certificate2 certificate;
        try
        {
            certificate = IsPem(certificateFile)
                ? X509Certificate2.CreateFromPemFile(certificateFile, keyFile)
                : X509CertificateLoader.LoadPkcs12FromFile(certificateFile, password);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // CreateFromPemFile reports a key of another certificate as an ArgumentException of its own.
            throw new ArgumentException($"{setting}: cannot read a certificate with its private key from '{certificateFile}'"
                + (keyFile is null ? "" : $" and '{keyFile}'") + $": {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"{setting}: '{certificateFile}' holds no private key (give the key file too)");
        if (certificate.NotAfter < DateTime.Now)
            throw new ArgumentException($"{setting}: the certificate in '{certificateFile}' expired on {certificate.NotAfter:u}");
        return certificate;
    }

    /// <summary>The certificate authorities a peer's certificate must chain to: a PEM bundle or one DER certificate.</summary>
    /// <param name="caFile">The file.</param>
    /// <param name="setting">The setting that named the file, for errors (for example <c>--tls-ca</c>).</param>
    /// <exception cref="ArgumentException">The file is missing or holds no certificate.</exception>
    public static X509Certificate2Collection LoadAuthorities(string caFile, string setting)
    {
        RequireFile(caFile, setting);
        var authorities = new X509Certificate2Collection();
        try
        {
            if (IsPem(caFile)) authorities.ImportFromPemFile(caFile);
            else authorities.Add(X509CertificateLoader.LoadCertificateFromFile(caFile));
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{setting}: cannot read CA certificates from '{caFile}': {e.Message}", e);
        }

        return authorities.Count > 0 ? authorities : throw new ArgumentException($"{setting}: '{caFile}' holds no certificate");
    }

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path)) throw new ArgumentException($"{setting}: file '{path}' does not exist");
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var head = new char[64 * 1024];
        var read = reader.ReadBlock(head, 0, head.Length);
        return new string(head, 0, read).Contains(PemCertificate, StringComparison.Ordinal);
    }

    /// <summary>
    /// The names a certificate is valid for, as TLS clients compare them: its subject alternative names, DNS names first,
    /// then IP addresses. Empty when it has none (clients then refuse it wherever a name is checked).
    /// </summary>
    /// <param name="certificate">A server's certificate.</param>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == "2.5.29.17");
        if (extension is null) return [];
        var names = new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
        return [.. names.EnumerateDnsNames(), .. names.EnumerateIPAddresses().Select(a => a.ToString())];
    }
}
