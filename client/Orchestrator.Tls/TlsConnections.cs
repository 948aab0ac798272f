using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Tls;

/// <summary>
/// TLS on Orleans connections (silo to silo, client to gateway). Orleans' own TLS package does the same handshake but
/// adapts the session to Orleans' pipes through a stream-backed pipe writer that seals each of its buffer segments as
/// a record of its own and flushes the socket once per record and once more after them; this one seals each flush of
/// messages with one TLS write and one socket flush (<see cref="SealingPipeWriter"/>). Over in-memory pipes that saves
/// a 256-byte round trip 1.8-2.3 µs, leaving it 0.8-2.6 µs above the two TLS streams alone (suite
/// <c>security-heartbeat</c>, docs/security.md). The handshake's checks are the caller's
/// (<see cref="TlsSettings.AcceptsPeer"/>).
/// </summary>
public static partial class TlsConnections
{
    /// <summary>Makes each connection of this kind the server end of a TLS session.</summary>
    public static IConnectionBuilder UseTlsAsServer(this IConnectionBuilder connections, TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings.Certificate, nameof(TlsSettings.Certificate));
        // Built once: the chain it carries is sent in every handshake without being rebuilt.
        var identity = SslStreamCertificateContext.Create(settings.Certificate, additionalCertificates: null, offline: true);
        var log = Logger(connections);
        // Off the listener's flow, so a slow or silent peer's handshake never holds up the next connection.
        return connections.Use(next => context => Task.Run(() => RunAsync(context, next, log, "client", (session, cancellation) =>
            session.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = identity,
                ClientCertificateRequired = settings.RequirePeerCertificate,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, peer, chain, errors) => Accepts(settings, peer, chain, errors),
            }, cancellation), settings.HandshakeTimeout)));
    }

    /// <summary>Makes each connection of this kind the client end of a TLS session.</summary>
    public static IConnectionBuilder UseTlsAsClient(this IConnectionBuilder connections, TlsSettings settings)
    {
        var log = Logger(connections);
        return connections.Use(next => context => RunAsync(context, next, log, "server", (session, cancellation) =>
            session.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = settings.ServerName?.Invoke(context) ?? "",
                // Offered only when the server asks (mutual TLS); one that does not ask never sees it.
                ClientCertificates = settings.Certificate is null ? null : [settings.Certificate],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, peer, chain, errors) => peer is not null && Accepts(settings, peer, chain, errors),
            }, cancellation), settings.HandshakeTimeout));
    }

    private static bool Accepts(TlsSettings settings, X509Certificate? peer, X509Chain? chain, SslPolicyErrors errors) =>
        peer is null ? !settings.RequirePeerCertificate : settings.AcceptsPeer(peer as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(peer.GetRawCertData()), chain, errors);

    private static async Task RunAsync(ConnectionContext context, ConnectionDelegate next, ILogger log, string peer,
        Func<SslStream, CancellationToken, Task> handshake, TimeSpan timeout)
    {
        var transport = context.Transport;
        var session = new SslStream(new TransportStream(transport), leaveInnerStreamOpen: false);
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await handshake(session, deadline.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
            {
                LogRefused(log, peer, context.RemoteEndPoint?.ToString() ?? "?", e.Message);
                await session.DisposeAsync();
                return;
            }
        }

        var pool = context.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
        await using var sealedPipe = new TlsPipe(session, new StreamPipeReaderOptions(pool, bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true));
        context.Transport = sealedPipe;
        try
        {
            await next(context);
        }
        finally
        {
            // The transport is closed by whoever opened it.
            context.Transport = transport;
        }
    }

    private static ILogger Logger(IConnectionBuilder connections) =>
        connections.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(TlsConnections)) ?? NullLogger.Instance;

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS handshake with the {Peer} at {Address} failed; the connection is dropped: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string address, string reason);
}
