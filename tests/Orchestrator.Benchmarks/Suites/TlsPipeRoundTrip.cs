using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Orleans;
using Orleans.Connections.Security;
using Orchestrator.Tls;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// What a TLS connection middleware costs a round trip of one small message each way, apart from sockets and Orleans:
/// a client and an echoing server joined by in-memory pipes, with no TLS, with Orleans' TLS middleware
/// (<c>Microsoft.Orleans.Connections.Security</c>, which the control plane used before), with ours
/// (<see cref="TlsConnections"/>), and with the two <see cref="SslStream"/>s alone reading and writing each other over
/// the same pipes (no pipe on top: what the TLS library itself costs, the least any middleware could), taking turns in
/// rounds after a warm-up round.
/// </summary>
internal static class TlsPipeRoundTrip
{
    private const int MessageBytes = 256;
    private const int RoundTripsPerTurn = 4_000;

    public static async Task<IReadOnlyDictionary<string, double>> MeasureAsync(int rounds, CancellationToken cancellationToken)
    {
        using var certificate = SelfSignedCertificate.Create();
        var ways = new (string Name, Action<IConnectionBuilder>? Server, Action<IConnectionBuilder>? Client)[]
        {
            ("plain", null, null),
            ("orleans_tls", s => s.UseServerTls(new TlsOptions { LocalCertificate = certificate, RemoteCertificateMode = RemoteCertificateMode.NoCertificate }),
                c => c.UseClientTls(new TlsOptions { RemoteCertificateMode = RemoteCertificateMode.RequireCertificate, RemoteCertificateValidation = (_, _, _) => true })),
            ("orchestrator_tls", s => s.UseTlsAsServer(new TlsSettings { Certificate = certificate, RequirePeerCertificate = false, AcceptsPeer = (_, _, _) => true }),
                c => c.UseTlsAsClient(new TlsSettings { AcceptsPeer = (_, _, _) => true })),
        };
        var latencies = ways.ToDictionary(w => w.Name, _ => new List<double>());
        latencies["sslstream"] = [];
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (name, server, client) in ways)
            {
                var turn = await TurnAsync(server, client, cancellationToken);
                // Round 0 warms up.
                if (round > 0) latencies[name].AddRange(turn);
            }

            var streams = await StreamTurnAsync(certificate, cancellationToken);
            if (round > 0) latencies["sslstream"].AddRange(streams);
        }

        return latencies.ToDictionary(l => l.Key, l => Statistics.Median(l.Value));
    }

    private static async Task<List<double>> TurnAsync(Action<IConnectionBuilder>? serverTls, Action<IConnectionBuilder>? clientTls, CancellationToken cancellationToken)
    {
        var (up, down) = (new Pipe(), new Pipe());
        var (clientEnd, serverEnd) = (new PipeEnd(down.Reader, up.Writer), new PipeEnd(up.Reader, down.Writer));
        var latencies = new List<double>(RoundTripsPerTurn);
        var server = Build(serverTls, EchoAsync);
        var client = Build(clientTls, async connection =>
        {
            var message = new byte[MessageBytes];
            for (var i = 0; i < RoundTripsPerTurn; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await connection.Transport.Output.WriteAsync(message, cancellationToken);
                for (var received = 0L; received < MessageBytes;)
                {
                    var result = await connection.Transport.Input.ReadAsync(cancellationToken);
                    received += result.Buffer.Length;
                    connection.Transport.Input.AdvanceTo(result.Buffer.End);
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        });
        var serving = server(new DefaultConnectionContext("server", serverEnd, serverEnd));
        await client(new DefaultConnectionContext("client", clientEnd, clientEnd));
        await up.Writer.CompleteAsync();
        await serving;
        return latencies;
    }

    private static async Task<List<double>> StreamTurnAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var (up, down) = (new Pipe(), new Pipe());
        await using var client = new SslStream(new TransportStream(new PipeEnd(down.Reader, up.Writer)));
        await using var server = new SslStream(new TransportStream(new PipeEnd(up.Reader, down.Writer)));
        var accepting = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true }, cancellationToken);
        await accepting;
        var echoing = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            for (int read; (read = await server.ReadAsync(buffer, cancellationToken)) > 0;) await server.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }, cancellationToken);
        var (message, answer) = (new byte[MessageBytes], new byte[4096]);
        var latencies = new List<double>(RoundTripsPerTurn);
        for (var i = 0; i < RoundTripsPerTurn; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.WriteAsync(message, cancellationToken);
            for (var received = 0; received < MessageBytes;) received += await client.ReadAsync(answer, cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        await up.Writer.CompleteAsync();
        await echoing;
        return latencies;
    }

    private static async Task EchoAsync(ConnectionContext connection)
    {
        while (true)
        {
            var result = await connection.Transport.Input.ReadAsync();
            if (result.IsCompleted) return;
            foreach (var segment in result.Buffer) connection.Transport.Output.Write(segment.Span);
            connection.Transport.Input.AdvanceTo(result.Buffer.End);
            await connection.Transport.Output.FlushAsync();
        }
    }

    private static ConnectionDelegate Build(Action<IConnectionBuilder>? tls, Func<ConnectionContext, Task> application)
    {
        var builder = new ConnectionBuilder(new NoServices());
        tls?.Invoke(builder);
        return builder.Run(application).Build();
    }

    private sealed record PipeEnd(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
