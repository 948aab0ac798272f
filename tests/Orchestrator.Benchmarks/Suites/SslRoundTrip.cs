using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// What TLS costs a round trip of one small message each way on this machine without Orleans: a client and an echoing
/// server over loopback TCP, plain and through <see cref="SslStream"/> (TLS 1.3, each cipher suite on its own), taking
/// turns in rounds. It bounds what any TLS set-up of the gateway could save per heartbeat.
/// </summary>
internal static class SslRoundTrip
{
    private const int MessageBytes = 256;
    private const int RoundTripsPerTurn = 4_000;

    public static async Task<IReadOnlyDictionary<string, double>> MeasureAsync(int rounds, CancellationToken cancellationToken)
    {
        using var certificate = SelfSignedCertificate.Create();
        var ways = new (string Name, TlsCipherSuite? Suite)[]
        {
            ("plain", null), ("tls13_aes256gcm", TlsCipherSuite.TLS_AES_256_GCM_SHA384), ("tls13_aes128gcm", TlsCipherSuite.TLS_AES_128_GCM_SHA256),
            ("tls13_chacha20poly1305", TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256),
        };
        var latencies = ways.ToDictionary(w => w.Name, _ => new List<double>());
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (name, suite) in ways)
            {
                var turn = await TurnAsync(name == "plain" ? null : certificate, suite, cancellationToken);
                // Round 0 warms up.
                if (round > 0) latencies[name].AddRange(turn);
            }
        }

        return latencies.ToDictionary(l => l.Key, l => Statistics.Median(l.Value));
    }

    private static async Task<List<double>> TurnAsync(X509Certificate2? certificate, TlsCipherSuite? suite, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient { NoDelay = true };
        var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
        using var server = await listener.AcceptTcpClientAsync(cancellationToken);
        server.NoDelay = true;
        await connecting;
        Stream clientStream = client.GetStream(), serverStream = server.GetStream();
        if (certificate is not null)
        {
            var (clientTls, serverTls) = (new SslStream(clientStream), new SslStream(serverStream));
            var serverOptions = new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 };
            // Windows' TLS stack takes no cipher suite policy; there the check below says so.
            if (suite is { } only && !OperatingSystem.IsWindows()) serverOptions.CipherSuitesPolicy = new CipherSuitesPolicy([only]);
            await Task.WhenAll(
                clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls13,
                    // The server is this method's own, with a certificate made a moment ago.
                    RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString(),
                }, cancellationToken),
                serverTls.AuthenticateAsServerAsync(serverOptions, cancellationToken));
            if (suite is not null && clientTls.NegotiatedCipherSuite != suite) throw new InvalidOperationException($"negotiated {clientTls.NegotiatedCipherSuite}, not {suite}");
            (clientStream, serverStream) = (clientTls, serverTls);
        }

        await using (clientStream)
        await using (serverStream)
        {
            var echo = EchoAsync(serverStream, cancellationToken);
            var (message, answer) = (new byte[MessageBytes], new byte[MessageBytes]);
            var latencies = new List<double>(RoundTripsPerTurn);
            for (var i = 0; i < RoundTripsPerTurn; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await clientStream.WriteAsync(message, cancellationToken);
                await clientStream.FlushAsync(cancellationToken);
                await clientStream.ReadExactlyAsync(answer, cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }

            client.Client.Shutdown(SocketShutdown.Send);
            try
            {
                await echo;
            }
            catch (IOException)
            {
                // The echoing end may read the shut connection as an error rather than an end: it is over either way.
            }

            return latencies;
        }
    }

    private static async Task EchoAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MessageBytes];
        while (await stream.ReadAtLeastAsync(buffer, MessageBytes, throwOnEndOfStream: false, cancellationToken) == MessageBytes)
        {
            await stream.WriteAsync(buffer, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }
}
