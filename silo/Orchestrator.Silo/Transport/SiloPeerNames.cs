using System.Security.Cryptography.X509Certificates;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Transport;

/// <summary>
/// The optional name every silo's certificate must hold (<see cref="TransportSecurityOptions.SiloPeerName"/>), checked
/// both ways on silo-to-silo connections besides the CA and the key usages. Silos dial each other by pod IP, so the
/// dialled address cannot be compared; a fixed name the CA puts only in silos' certificates (the headless Service's DNS
/// name, say) can. It keeps out a certificate from the same CA that was issued to something else but allows server and
/// client use (cert-manager's default Certificate carries no extended key usage at all, which allows every use).
/// </summary>
internal static class SiloPeerNames
{
    private const string Setting = "Orchestrator:Tls:SiloPeerName";

    /// <summary>Whether <paramref name="peer"/> may be a silo: no name is configured, or its subject alternative names hold it.</summary>
    public static bool Accepts(TransportSecurityOptions options, X509Certificate2 peer) =>
        options.SiloPeerName is not { } name || peer.MatchesHostname(name, allowWildcards: true, allowCommonName: false);

    /// <summary>Refuses to start a silo whose own certificate lacks the name: its peers would refuse it.</summary>
    /// <exception cref="ArgumentException">The name is blank or not in the certificate; the message names the setting.</exception>
    public static void RequireOwn(TransportSecurityOptions options, X509Certificate2 own)
    {
        if (options.SiloPeerName is null) return;
        if (string.IsNullOrWhiteSpace(options.SiloPeerName) || Uri.CheckHostName(options.SiloPeerName) == UriHostNameType.Unknown)
            throw new ArgumentException($"{Setting}: '{options.SiloPeerName}' is not a host name (a DNS name or IP address every silo's certificate holds)");
        if (Accepts(options, own)) return;
        var names = TransportCertificates.Names(own);
        throw new ArgumentException($"{Setting}: the silo's certificate '{options.CertificateFile}' does not name '{options.SiloPeerName}' "
            + $"(its subject alternative names: {(names.Count > 0 ? string.Join(", ", names) : "none")}); peers would refuse it");
    }
}
