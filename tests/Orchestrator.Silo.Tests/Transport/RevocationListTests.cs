using System.Security.Cryptography.X509Certificates;
using Orchestrator.Silo.Transport;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Transport;

/// <summary>Reading a CA's revocation lists: what they revoke, and lists that must not be believed.</summary>
public sealed class RevocationListTests
{
    private const string Setting = "Orchestrator:Tls:CrlFile (--tls-crl)";

    [Fact]
    public void A_list_revokes_the_certificates_it_names_of_its_own_CA_in_PEM_and_in_DER()
    {
        var certificates = TestCertificates.Create(TestJobs.TemporaryDirectory("crl-read"));
        var authorities = Authorities(certificates.Ca);
        var der = TestRevocations.List(certificates.Ca, [TestRevocations.SerialOf(certificates.Client.Certificate)]);
        using var client = Certificate(certificates.Client.Certificate);
        using var silo = Certificate(certificates.Silo.Certificate);
        using var foreignClient = Certificate(certificates.ForeignClient.Certificate);

        foreach (var content in new[] { der, System.Text.Encoding.ASCII.GetBytes(TestRevocations.Pem(der)) })
        {
            var list = RevocationList.Parse(content, "ca.crl", authorities, Setting);
            Assert.True(list.Revokes(client));
            Assert.False(list.Revokes(silo));
            Assert.Equal(1, list.Count);
            Assert.InRange(list.NextUpdate!.Value, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddDays(1));
            // The same serial number from another CA is another certificate.
            Assert.False(RevocationList.Parse(TestRevocations.List(certificates.Ca, [foreignClient.SerialNumberBytes.ToArray()]), "ca.crl", authorities, Setting).Revokes(foreignClient));
        }
    }

    [Fact]
    public void A_list_of_another_CA_a_tampered_list_and_a_file_that_is_no_list_are_refused_naming_the_setting()
    {
        var certificates = TestCertificates.Create(TestJobs.TemporaryDirectory("crl-refused"));
        var authorities = Authorities(certificates.Ca);

        var foreign = Assert.Throws<ArgumentException>(() => RevocationList.Parse(TestRevocations.List(certificates.ForeignCa, []), "foreign.crl", authorities, Setting));
        Assert.Contains(Setting, foreign.Message, StringComparison.Ordinal);
        Assert.Contains("issued by 'CN=Some Other CA', not by a CA in the CA file", foreign.Message, StringComparison.Ordinal);

        var tampered = TestRevocations.List(certificates.Ca, [TestRevocations.SerialOf(certificates.Client.Certificate)]);
        tampered[^1] ^= 0x01; // the signature's last byte
        Assert.Contains("does not verify", Assert.Throws<ArgumentException>(() => RevocationList.Parse(tampered, "ca.crl", authorities, Setting)).Message, StringComparison.Ordinal);

        Assert.Contains("is not a certificate revocation list", Assert.Throws<ArgumentException>(() => RevocationList.Parse("not a list"u8.ToArray(), "ca.crl", authorities, Setting)).Message,
            StringComparison.Ordinal);
        Assert.Contains("holds no certificate revocation list", Assert.Throws<ArgumentException>(() =>
            RevocationList.Parse(System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(certificates.Ca)), "ca.crt", authorities, Setting)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", Assert.Throws<ArgumentException>(() => RevocationList.Load("/nonexistent/ca.crl", authorities, Setting)).Message, StringComparison.Ordinal);
    }

    private static X509Certificate2Collection Authorities(string caFile) => [X509Certificate2.CreateFromPem(File.ReadAllText(caFile))];

    private static X509Certificate2 Certificate(string file) => X509Certificate2.CreateFromPem(File.ReadAllText(file));
}
