using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orchestrator.Contracts.Security;
using Orchestrator.Tls;

namespace Orchestrator.Client;

/// <summary>
/// A client's loaded TLS settings: the trust it places in gateways, the name each gateway's certificate must hold, and
/// the certificate it may present.
/// </summary>
internal sealed class ClientTransportSecurity
{
    private readonly IReadOnlyDictionary<IPEndPoint, string>? _gatewayHosts;

    private ClientTransportSecurity(ClientTlsOptions options, CertificateTrust trust, X509Certificate2? certificate, IReadOnlyDictionary<IPEndPoint, string>? gatewayHosts)
    {
        Options = options;
        Trust = trust;
        Certificate = certificate;
        _gatewayHosts = gatewayHosts;
    }

    public ClientTlsOptions Options { get; }

    public CertificateTrust Trust { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>Whether gateway certificates are checked for a name at all (not for gateways found through Redis without a server name).</summary>
    public bool ChecksNames => Options.ServerName is not null || _gatewayHosts is not null;

    /// <param name="options">The settings.</param>
    /// <param name="gateways">The static gateways as given (<c>host:port</c>), each with the address it resolved to; null when gateways are found through Redis.</param>
    /// <exception cref="ArgumentException">A file is missing or unreadable; the message names the flag.</exception>
    public static ClientTransportSecurity Load(ClientTlsOptions options, IReadOnlyList<(string Text, IPEndPoint Address)>? gateways)
    {
        if (options.KeyFile is not null && options.CertificateFile is null)
            throw new ArgumentException("--tls-key: a key needs its certificate (--tls-cert)");
        if (options.ServerName is { } name && (name.Length is 0 or > 253 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/')))
            throw new ArgumentException($"--tls-server-name: '{name}' is not a host name or IP address");
        var trust = new CertificateTrust(options.CaFile is null ? null : TransportCertificates.LoadAuthorities(options.CaFile, "--tls-ca"));
        var certificate = options.CertificateFile is null ? null : TransportCertificates.LoadIdentity(options.CertificateFile, options.KeyFile, null, "--tls-cert");
        // Two names for one address: the first given wins (both name the same gateway).
        var hosts = gateways?.GroupBy(g => g.Address).ToDictionary(g => g.Key, g => GatewayAddress.Host(g.First().Text));
        return new ClientTransportSecurity(options, trust, certificate, hosts);
    }

    /// <summary>The name the certificate of the gateway at <paramref name="gateway"/> must hold; null when none is checked.</summary>
    public string? ExpectedName(EndPoint? gateway) =>
        Options.ServerName ?? (_gatewayHosts is null ? null : gateway is IPEndPoint ip && _gatewayHosts.TryGetValue(ip, out var host) ? host : (gateway as IPEndPoint)?.Address.ToString());

    /// <summary>Whether the gateway's certificate is trusted: it chains to the CA for server use and, where a name is checked, holds it.</summary>
    public bool Accepts(X509Certificate2 gateway, X509Chain? chain, SslPolicyErrors errors) =>
        !(ChecksNames && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) && Trust.Accepts(gateway, chain, CertificateTrust.ServerAuthentication);

    /// <summary>Puts TLS (<see cref="TlsConnections"/>) on the client's gateway connections.</summary>
    public void Apply(IClientBuilder client) => client.Configure<ClientConnectionOptions>(connections => connections.ConfigureConnection(c => c.UseTlsAsClient(new TlsSettings
    {
        // Offered only when the gateway asks (mutual TLS); a gateway that does not ask never sees it.
        Certificate = Certificate,
        // The handshake compares the name with the certificate (and reports a mismatch to the check below), per
        // connection, since each gateway is dialled by its own host.
        ServerName = connection => ExpectedName(connection.RemoteEndPoint),
        AcceptsPeer = Accepts,
    })));
}
