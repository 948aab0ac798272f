using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Tests.Transport;

/// <summary>
/// Certificates made for one test, written as PEM files into its folder: a test CA, a silo certificate (server and
/// client use, for 127.0.0.1 and localhost), a client certificate (client use only), and a second CA with a silo
/// certificate of its own, which the first CA does not vouch for; and a silo certificate of the first CA for another
/// host (orchestrator.example, 10.0.0.7), not for loopback.
/// </summary>
internal sealed record TestCertificates(string Ca, PemPair Silo, PemPair Client, string ForeignCa, PemPair ForeignSilo, PemPair ForeignClient, PemPair Misnamed)
{
    public static TestCertificates Create(string directory)
    {
        using var ca = Authority("Orchestrator Test CA");
        using var foreign = Authority("Some Other CA");
        return new TestCertificates(
            WriteCa(directory, "ca", ca),
            Write(directory, "silo", Issue(ca, "silo", CertificateTrust.ServerAuthentication, CertificateTrust.ClientAuthentication)),
            Write(directory, "client", Issue(ca, "alice", CertificateTrust.ClientAuthentication)),
            WriteCa(directory, "foreign-ca", foreign),
            Write(directory, "foreign-silo", Issue(foreign, "silo", CertificateTrust.ServerAuthentication, CertificateTrust.ClientAuthentication)),
            Write(directory, "foreign-client", Issue(foreign, "alice", CertificateTrust.ClientAuthentication)),
            Write(directory, "misnamed", Issue(ca, "silo", CertificateTrust.ServerAuthentication, CertificateTrust.ClientAuthentication, ("orchestrator.example", IPAddress.Parse("10.0.0.7")))));
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string name, params string[] purposes) =>
        Issue(authority, name, purposes[0], purposes.Length > 1 ? purposes[1] : null, ("localhost", IPAddress.Loopback));

    private static X509Certificate2 Issue(X509Certificate2 authority, string name, string purpose, string? secondPurpose, (string Dns, IPAddress Ip) host)
    {
        string[] purposes = secondPurpose is null ? [purpose] : [purpose, secondPurpose];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(host.Ip);
        names.AddDnsName(host.Dns);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        foreach (var usage in purposes) usages.Add(new Oid(usage));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the CA's certificate to NAME.crt and its key beside it (NAME.key: tests sign revocation lists with it).</summary>
    private static string WriteCa(string directory, string name, X509Certificate2 authority)
    {
        var path = Path.Combine(directory, name + ".crt");
        File.WriteAllText(path, authority.ExportCertificatePem());
        File.WriteAllText(Path.ChangeExtension(path, ".key"), authority.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private static PemPair Write(string directory, string name, X509Certificate2 certificate)
    {
        using (certificate)
        {
            var pair = new PemPair(Path.Combine(directory, name + ".crt"), Path.Combine(directory, name + ".key"));
            File.WriteAllText(pair.Certificate, certificate.ExportCertificatePem());
            File.WriteAllText(pair.Key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            return pair;
        }
    }
}
