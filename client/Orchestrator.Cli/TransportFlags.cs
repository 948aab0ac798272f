using System.CommandLine;
using Orchestrator.Client;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Cli;

/// <summary>
/// The TLS flags. One set serves both sides: for a client they name the CA it trusts and its own certificate for
/// mutual TLS; for <c>orch up</c> the silo's certificate, key and the CA its peers' certificates must chain to.
/// </summary>
internal static class TransportFlags
{
    public static readonly Option<bool> Tls = new("--tls")
    {
        Description = $"Connect with TLS, trusting the machine's roots (implied by --tls-ca, --tls-cert or --tls-server-name; default ${TransportEnvironment.Enabled})",
        Recursive = true,
    };

    public static readonly Option<string?> Ca = new("--tls-ca")
    {
        Description = $"PEM CA certificate(s): a client trusts the gateway's certificate only if it chains to it; 'orch up' requires it of silos and client certificates (default ${TransportEnvironment.Ca})",
        Recursive = true,
    };

    public static readonly Option<string?> Certificate = new("--tls-cert")
    {
        Description = $"Certificate, PEM or PKCS#12: 'orch up' serves TLS with it (silos, gateway, HTTP API); a client presents it under mutual TLS (default ${TransportEnvironment.Certificate})",
        Recursive = true,
    };

    public static readonly Option<string?> Key = new("--tls-key")
    {
        Description = $"PEM private key of --tls-cert when that file does not hold it (default ${TransportEnvironment.Key})",
        Recursive = true,
    };

    public static readonly Option<string?> ServerName = new("--tls-server-name")
    {
        Description = $"A client checks the gateway's certificate for this name (DNS name or IP) instead of the host it dials: for a control plane reached by IP or through Redis (default ${TransportEnvironment.ServerName})",
        Recursive = true,
    };

    public static IReadOnlyList<Option> All { get; } = [Tls, Ca, Certificate, Key, ServerName];

    /// <summary>The client's TLS settings: the flags when any is given, else the environment; null for plain TCP.</summary>
    public static ClientTlsOptions? Client(ParseResult parse)
    {
        var ca = parse.GetValue(Ca);
        var certificate = parse.GetValue(Certificate);
        var serverName = parse.GetValue(ServerName);
        if (!parse.GetValue(Tls) && ca is null && certificate is null && serverName is null) return ClientTlsOptions.FromEnvironment();
        return new ClientTlsOptions { CaFile = ca, CertificateFile = certificate, KeyFile = parse.GetValue(Key), ServerName = serverName };
    }
}
