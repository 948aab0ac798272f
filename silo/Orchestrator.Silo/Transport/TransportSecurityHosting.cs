using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Execution;
using Orchestrator.Tls;

namespace Orchestrator.Silo.Transport;

/// <summary>
/// Puts TLS (<see cref="TlsConnections"/>) on a silo's three kinds of connection, each with its own settings: silos
/// always prove themselves to each other with certificates from the CA (a process without one cannot join), while
/// gateway clients must present one only under mutual TLS.
/// </summary>
internal static class TransportSecurityHosting
{
    /// <exception cref="ArgumentException">A setting is inconsistent or a file unreadable; the message names the setting.</exception>
    public static ISiloBuilder AddTransportSecurity(this ISiloBuilder silo, TransportSecurityOptions options)
    {
        if (!options.Enabled)
        {
            if (options.KeyFile is not null || options.CaFile is not null || options.RequireClientCertificate || options.SiloPeerName is not null || options.CrlFile is not null)
                throw new ArgumentException("Orchestrator:Tls: a key, a CA, a revocation list, a silo peer name or required client certificates need the silo's certificate (--tls-cert, Orchestrator:Tls:CertificateFile)");
            return silo;
        }

        if (options.CrlFile is not null && options.CaFile is null)
            throw new ArgumentException("Orchestrator:Tls:CrlFile (--tls-crl): a revocation list needs the CA that signs it (Orchestrator:Tls:CaFile, --tls-ca)");
        var identity = Load(options);
        silo.Services.AddSingleton(identity);
        var revocations = Revocations(silo.Services, options);
        bool Allows(IConnectionBuilder connection, X509Certificate2 peer) =>
            !revocations || connection.ApplicationServices.GetRequiredService<CertificateRevocations>().Allows(peer);
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            // A dialling silo must hold a silo's certificate (server and client use), so a client certificate, which
            // should allow client authentication only, opens the gateway under mutual TLS but cannot join the cluster.
            connections.ConfigureSiloInboundConnection(c => c.UseTlsAsServer(new TlsSettings
            {
                Certificate = identity.Certificate,
                AcceptsPeer = (peer, chain, _) => identity.Trust.Accepts(peer, chain, CertificateTrust.ClientAuthentication)
                    && identity.Trust.Accepts(peer, chain, CertificateTrust.ServerAuthentication) && SiloPeerNames.Accepts(options, peer) && Allows(c, peer),
            }));
            connections.ConfigureGatewayInboundConnection(c => c.UseTlsAsServer(new TlsSettings
            {
                Certificate = identity.Certificate,
                RequirePeerCertificate = options.RequireClientCertificate,
                AcceptsPeer = (peer, chain, _) => identity.Trust.Accepts(peer, chain, CertificateTrust.ClientAuthentication) && Allows(c, peer),
            }));
            connections.ConfigureSiloOutboundConnection(c => c.UseTlsAsClient(new TlsSettings
            {
                Certificate = identity.Certificate,
                AcceptsPeer = (peer, chain, _) => identity.Trust.Accepts(peer, chain, CertificateTrust.ServerAuthentication) && SiloPeerNames.Accepts(options, peer)
                    && Allows(c, peer),
            }));
        });

        // The workers this silo launches dial its gateway: they trust the same CA and, under mutual TLS, present the
        // silo's own certificate (it allows client authentication, which silo-to-silo connections need anyway).
        silo.Services.PostConfigure<LocalProcessBackendOptions>(o =>
        {
            o.WorkerEnvironment[TransportEnvironment.Enabled] = "true";
            if (options.CaFile is not null) o.WorkerEnvironment[TransportEnvironment.Ca] = Path.GetFullPath(options.CaFile);
            // They dial the address the silo advertises, which its certificate need not name: they expect a name it holds.
            if (TransportCertificates.Names(identity.Certificate) is [var name, ..]) o.WorkerEnvironment[TransportEnvironment.ServerName] = name;
            if (!options.RequireClientCertificate) return;
            o.WorkerEnvironment[TransportEnvironment.Certificate] = Path.GetFullPath(options.CertificateFile!);
            if (options.KeyFile is not null) o.WorkerEnvironment[TransportEnvironment.Key] = Path.GetFullPath(options.KeyFile);
        });
        return silo;
    }

    /// <summary>Loads the revocation lists, if any, so a bad file fails the start; registers them and their watcher.</summary>
    private static bool Revocations(IServiceCollection services, TransportSecurityOptions options)
    {
        if (options.CrlFile is null) return false;
        const string Setting = "Orchestrator:Tls:CrlFile (--tls-crl)";
        if (options.CrlReloadInterval <= TimeSpan.Zero) throw new ArgumentException($"Orchestrator:Tls:CrlReloadInterval: must be positive, not {options.CrlReloadInterval}");
        var authorities = TransportCertificates.LoadAuthorities(options.CaFile!, "Orchestrator:Tls:CaFile (--tls-ca)");
        var initial = RevocationList.Load(options.CrlFile, authorities, Setting);
        services.AddSingleton(sp => new CertificateRevocations(initial, options.CrlFile, authorities, sp.GetRequiredService<ILogger<CertificateRevocations>>()));
        services.AddHostedService<RevocationListWatcher>();
        return true;
    }

    private static TransportIdentity Load(TransportSecurityOptions options)
    {
        var certificate = TransportCertificates.LoadIdentity(options.CertificateFile!, options.KeyFile, options.CertificatePassword, "Orchestrator:Tls:CertificateFile (--tls-cert)");
        var authorities = options.CaFile is null ? null : TransportCertificates.LoadAuthorities(options.CaFile, "Orchestrator:Tls:CaFile (--tls-ca)");
        var trust = new CertificateTrust(authorities);
        // Checked here so that a certificate unfit for either role fails at start, not at the first connection.
        foreach (var (purpose, name) in new[] { (CertificateTrust.ServerAuthentication, "server"), (CertificateTrust.ClientAuthentication, "client") })
        {
            if (!trust.Accepts(certificate, null, purpose))
                throw new ArgumentException($"Orchestrator:Tls:CertificateFile (--tls-cert): '{options.CertificateFile}' does not chain to "
                    + (authorities is null ? "a trusted root" : $"the CA in '{options.CaFile}'") + $" for {name} authentication (a silo's certificate serves both: silos dial each other)");
        }

        SiloPeerNames.RequireOwn(options, certificate);
        return new TransportIdentity(certificate, trust, options);
    }
}
