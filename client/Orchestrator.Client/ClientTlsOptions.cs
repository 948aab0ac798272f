using Orchestrator.Contracts.Security;

namespace Orchestrator.Client;

/// <summary>
/// TLS to the gateways: the CA the gateway's certificate must chain to and, for a control plane that requires client
/// certificates (mutual TLS), this client's certificate. Set <see cref="OrchestratorClientOptions.Tls"/> to connect
/// with TLS at all; the CLI fills it from <c>--tls</c>, <c>--tls-ca</c>, <c>--tls-cert</c>, <c>--tls-key</c> or
/// <c>ORCH_TLS*</c>.
/// </summary>
public sealed record ClientTlsOptions
{
    /// <summary>PEM CA certificate(s) to trust; null: the machine's trusted roots.</summary>
    public string? CaFile { get; init; }

    /// <summary>Client certificate (PEM or PKCS#12) presented when the control plane asks for one; null: none.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="CertificateFile"/> when that file does not hold it.</summary>
    public string? KeyFile { get; init; }

    /// <summary>
    /// The name (DNS name or IP address) the gateway's certificate must hold. Null: the host each gateway is dialled by,
    /// as in <see cref="OrchestratorClientOptions.Gateways"/>, as HTTPS does; for gateways found through Redis (dialled by
    /// the addresses the silos advertise) no name is then compared and trust rests on the CA alone.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// The settings in <c>ORCH_TLS</c>, <c>ORCH_TLS_CA</c>, <c>ORCH_TLS_CERT</c>, <c>ORCH_TLS_KEY</c> and
    /// <c>ORCH_TLS_SERVER_NAME</c>; null (plain TCP) when none of <c>ORCH_TLS=true</c>, a CA, a certificate or a server
    /// name is set.
    /// </summary>
    /// <exception cref="ArgumentException"><c>ORCH_TLS</c> is neither <c>true</c> nor <c>false</c>.</exception>
    public static ClientTlsOptions? FromEnvironment()
    {
        var ca = Variable(TransportEnvironment.Ca);
        var certificate = Variable(TransportEnvironment.Certificate);
        var serverName = Variable(TransportEnvironment.ServerName);
        var enabled = Variable(TransportEnvironment.Enabled) is not { } flag
            ? ca is not null || certificate is not null || serverName is not null
            : bool.TryParse(flag, out var on) ? on : throw new ArgumentException($"{TransportEnvironment.Enabled} must be 'true' or 'false', got '{flag}'");
        return enabled ? new ClientTlsOptions { CaFile = ca, CertificateFile = certificate, KeyFile = Variable(TransportEnvironment.Key), ServerName = serverName } : null;
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
