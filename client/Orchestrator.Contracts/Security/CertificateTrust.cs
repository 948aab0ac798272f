using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Contracts.Security;

/// <summary>
/// Decides whether a TLS peer's certificate is trusted: it must chain to one of the configured authorities (the
/// cluster's CA; with none, the machine's root store) and allow the purpose it is used for (server or client
/// authentication). Host names are compared elsewhere, where the host dialled is known: a client checks the gateway's
/// certificate against the gateway's host (or a configured server name) in its TLS handshake; silos dial each other by
/// the IP addresses in the membership table, which change with every pod, so between silos trust rests on the CA and
/// on the certificate allowing both server and client use.
/// </summary>
/// <param name="authorities">The CA certificates; null for the machine's trusted roots.</param>
public sealed class CertificateTrust(X509Certificate2Collection? authorities)
{
    /// <summary>Extended key usage of a certificate that may serve TLS (silos, gateways, the HTTP API).</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>Extended key usage of a certificate that may authenticate a TLS client (silos dialling silos, mTLS clients).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Whether <paramref name="peer"/> chains to a trusted authority and allows <paramref name="purpose"/>.</summary>
    /// <param name="peer">The certificate the peer presented.</param>
    /// <param name="presented">The chain TLS built for it, whose intermediates are used; null for none.</param>
    /// <param name="purpose"><see cref="ServerAuthentication"/> or <see cref="ClientAuthentication"/>.</param>
    public bool Accepts(X509Certificate2 peer, X509Chain? presented, string purpose)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        // Nothing is fetched while a chain is built: a silo given its CA's revocation list checks it itself
        // (silo Transport/CertificateRevocations); without one, rotation replaces certificates (docs/security.md).
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(new Oid(purpose));
        if (authorities is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(authorities);
            policy.ExtraStore.AddRange(authorities);
        }

        if (presented is not null)
        {
            policy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements) policy.ExtraStore.Add(element.Certificate);
        }

        return chain.Build(peer);
    }
}
