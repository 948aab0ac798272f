using System.Security.Cryptography.X509Certificates;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Transport;

/// <summary>The silo's loaded TLS certificate and trust, registered when TLS is on (the HTTP API serves HTTPS with it).</summary>
internal sealed record TransportIdentity(X509Certificate2 Certificate, CertificateTrust Trust, TransportSecurityOptions Options);
