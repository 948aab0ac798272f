using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;

namespace Orchestrator.Tls;

/// <summary>How one kind of connection (silo to silo, client to gateway, either end) does its TLS handshake.</summary>
public sealed record TlsSettings
{
    /// <summary>The certificate this end presents: required of a server; a client's is offered when the server asks.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Whether the other end must present a certificate (a client always requires the server's).</summary>
    public bool RequirePeerCertificate { get; init; } = true;

    /// <summary>
    /// Whether the other end's certificate is accepted, given the chain .NET built and the errors it found (a private
    /// CA shows as chain errors, so this decides, not them). Called only for a certificate that was presented.
    /// </summary>
    public required Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool> AcceptsPeer { get; init; }

    /// <summary>
    /// The name a client expects the server's certificate to hold, per connection: .NET compares it and reports a
    /// mismatch to <see cref="AcceptsPeer"/>. Null (or a null answer): no name is expected, and the mismatch .NET then
    /// reports means nothing.
    /// </summary>
    public Func<ConnectionContext, string?>? ServerName { get; init; }

    /// <summary>How long a handshake may take before the connection is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
