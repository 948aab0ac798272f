namespace Orchestrator.Contracts.Security;

/// <summary>
/// The environment variables a client (the CLI, the SDK, a worker) reads its TLS settings from when none are given in
/// code or flags. The silo sets them for the workers it launches.
/// </summary>
public static class TransportEnvironment
{
    /// <summary><c>true</c>: connect with TLS, trusting the machine's roots unless <see cref="Ca"/> names a CA.</summary>
    public const string Enabled = "ORCH_TLS";

    /// <summary>CA certificate(s) (PEM) the gateway's certificate must chain to; setting it turns TLS on.</summary>
    public const string Ca = "ORCH_TLS_CA";

    /// <summary>Client certificate (PEM or PKCS#12) for a control plane that requires one (mutual TLS).</summary>
    public const string Certificate = "ORCH_TLS_CERT";

    /// <summary>The client certificate's PEM private key, when not inside the certificate file.</summary>
    public const string Key = "ORCH_TLS_KEY";

    /// <summary>
    /// The name the gateway's certificate must hold, instead of the host each gateway is dialled by (for a control plane
    /// reached by IP address, or gateways found through Redis).
    /// </summary>
    public const string ServerName = "ORCH_TLS_SERVER_NAME";
}
