using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Silo.Transport;

/// <summary>
/// The revocation lists in force (<c>Orchestrator:Tls:CrlFile</c>), consulted in every TLS handshake the silo makes or
/// accepts (silos, gateway clients, HTTP API clients) and replaced by <see cref="RevocationListWatcher"/> when the file
/// changes. A revoked certificate is refused from its next handshake on; connections already open stay (as in any TLS
/// server, revocation is checked when a session is made).
/// </summary>
internal sealed partial class CertificateRevocations(RevocationList initial, string path, X509Certificate2Collection authorities, ILogger<CertificateRevocations> logger)
{
    private volatile RevocationList _current = initial;

    public string Path => path;

    /// <summary>The CAs whose signatures a list must carry.</summary>
    public X509Certificate2Collection Authorities => authorities;

    public RevocationList Current => _current;

    public void Replace(RevocationList list) => _current = list;

    /// <summary>Whether <paramref name="peer"/> may be trusted as far as revocation goes; a refusal is logged.</summary>
    public bool Allows(X509Certificate2 peer)
    {
        if (!_current.Revokes(peer)) return true;
        LogRevoked(peer.Subject, peer.SerialNumber, path);
        return false;
    }

    [LoggerMessage(EventId = 9030, Level = LogLevel.Warning, Message = "TLS peer certificate {Subject} (serial {Serial}) is revoked by {Path}: refused")]
    private partial void LogRevoked(string subject, string serial, string path);
}
