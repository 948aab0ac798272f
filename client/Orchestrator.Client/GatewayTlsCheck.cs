using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Client;

/// <summary>
/// One TLS handshake with a gateway before the Orleans client connects. Orleans' TLS layer ends a refused handshake
/// silently and its client then keeps retrying, so a wrong CA or a missing client certificate would look like a hang;
/// this check turns each into an error that says what is wrong.
/// </summary>
internal static class GatewayTlsCheck
{
    // Under TLS 1.3 a gateway judges the client's certificate after the client has finished its handshake and answers
    // a refusal with an alert; one that accepted waits silently for Orleans' greeting instead.
    private static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(2);

    /// <exception cref="AuthenticationException">The gateway refused this client or its certificate is not trusted; the message says which.</exception>
    public static async Task RunAsync(IPEndPoint gateway, ClientTransportSecurity security, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient(gateway.AddressFamily);
        try
        {
            await tcp.ConnectAsync(gateway, cancellationToken);
        }
        catch (SocketException)
        {
            return; // Nothing listens: Orleans' own connect reports that.
        }

        string? untrusted = null;
        string? misnamed = null;
        var asked = false;
        var expected = security.ExpectedName(gateway);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = expected ?? "",
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (certificate is null)
                {
                    untrusted = "no certificate";
                    return false;
                }

                var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                if (!security.Trust.Accepts(presented, chain, CertificateTrust.ServerAuthentication)) untrusted = certificate.Subject;
                else if (!security.Accepts(presented, chain, errors)) misnamed = Describe(presented);
                return untrusted is null && misnamed is null;
            },
            // .NET may ask before the handshake (no server certificate yet); asked again with the gateway's certificate,
            // it means the gateway wants a client certificate (mutual TLS). Without one the answer is none.
            LocalCertificateSelectionCallback = (_, _, _, remote, _) =>
            {
                asked |= remote is not null;
                return security.Certificate!;
            },
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            if (misnamed is not null)
                throw new AuthenticationException($"the gateway at {gateway} presented a certificate for {misnamed}, not for '{expected}': dial it by a name its certificate holds, "
                    + $"or name the one to expect with --tls-server-name (or {TransportEnvironment.ServerName})", e);
            throw Refusal(gateway, security, untrusted, asked, e);
        }

        if (asked && security.Certificate is null) throw Refusal(gateway, security, null, asked, null);
        if (security.Certificate is not null && await RefusedAfterHandshakeAsync(tls, cancellationToken))
            throw new AuthenticationException($"the gateway at {gateway} refused this client's certificate ({security.Certificate.Subject}): it must chain to the control plane's CA and allow client authentication");
    }

    private static async Task<bool> RefusedAfterHandshakeAsync(SslStream tls, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RefusalWait);
        try
        {
            return await tls.ReadAsync(new byte[1], wait.Token) == 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return true;
        }
    }

    private static string Describe(X509Certificate2 certificate) =>
        TransportCertificates.Names(certificate) is { Count: > 0 } names ? string.Join(", ", names) : $"no names ({certificate.Subject}, without subject alternative names)";

    private static AuthenticationException Refusal(IPEndPoint gateway, ClientTransportSecurity security, string? untrusted, bool asked, Exception? cause)
    {
        var trusted = security.Options.CaFile is { } ca ? $"the CA in '{ca}'" : "the machine's trusted roots (give the control plane's CA with --tls-ca)";
        var message = untrusted is not null
            ? $"the gateway at {gateway} presented a certificate ({untrusted}) that does not chain to {trusted}"
            : asked && security.Certificate is null
                ? $"the gateway at {gateway} requires a client certificate (mutual TLS): give --tls-cert and --tls-key (or {TransportEnvironment.Certificate}, {TransportEnvironment.Key})"
                : $"the TLS handshake with the gateway at {gateway} failed ({cause?.Message}): does the control plane serve TLS, and with a certificate from {trusted}?";
        return new AuthenticationException(message, cause);
    }
}
