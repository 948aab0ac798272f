using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;

namespace Orchestrator.Tls.Tests;

/// <summary>
/// Bytes through a TLS session between the two middlewares, over in-memory pipes standing in for a socket: what goes
/// in comes out whole and in order, however it is cut into writes, flushes and records.
/// </summary>
public sealed class TlsPipeTests
{
    [Theory]
    [InlineData(95)]
    [InlineData(4200)] // just over one pipe segment: a record read in parts
    [InlineData(100_000)] // several records in one flush
    public async Task Bytes_written_by_the_client_come_back_from_an_echoing_server(int size)
    {
        using var certificate = TestIdentity.Create("orchestrator.example");
        var payload = RandomNumberGenerator.GetBytes(size);
        byte[]? echoed = null;
        await TlsLink.RunAsync(
            s => s.UseTlsAsServer(new TlsSettings { Certificate = certificate, RequirePeerCertificate = false, AcceptsPeer = (_, _, _) => true }), TlsLink.EchoAsync,
            c => c.UseTlsAsClient(new TlsSettings { AcceptsPeer = (_, _, _) => true }), async connection =>
            {
                await connection.Transport.Output.WriteAsync(payload);
                echoed = await TlsLink.ReadAsync(connection.Transport.Input, size);
            });

        Assert.Equal(payload, echoed);
    }

    [Fact]
    public async Task Messages_written_between_two_flushes_arrive_in_order_as_one_batch()
    {
        using var certificate = TestIdentity.Create("orchestrator.example");
        var messages = Enumerable.Range(0, 40).Select(i => RandomNumberGenerator.GetBytes(100 + 37 * i)).ToList();
        byte[]? echoed = null;
        await TlsLink.RunAsync(
            s => s.UseTlsAsServer(new TlsSettings { Certificate = certificate, RequirePeerCertificate = false, AcceptsPeer = (_, _, _) => true }), TlsLink.EchoAsync,
            c => c.UseTlsAsClient(new TlsSettings { AcceptsPeer = (_, _, _) => true }), async connection =>
            {
                var output = connection.Transport.Output;
                foreach (var message in messages)
                {
                    // As Orleans writes a message: a span asked for by size, filled, advanced.
                    message.CopyTo(output.GetSpan(message.Length));
                    output.Advance(message.Length);
                }

                Assert.Equal(messages.Sum(m => m.Length), output.UnflushedBytes);
                await output.FlushAsync();
                Assert.Equal(0, output.UnflushedBytes);
                echoed = await TlsLink.ReadAsync(connection.Transport.Input, messages.Sum(m => m.Length));
            });

        Assert.Equal(messages.SelectMany(m => m).ToArray(), echoed);
    }

    [Fact]
    public async Task A_flush_with_nothing_written_sends_nothing()
    {
        using var certificate = TestIdentity.Create("orchestrator.example");
        var received = -1L;
        await TlsLink.RunAsync(
            s => s.UseTlsAsServer(new TlsSettings { Certificate = certificate, RequirePeerCertificate = false, AcceptsPeer = (_, _, _) => true }), async connection =>
            {
                var result = await connection.Transport.Input.ReadAsync();
                received = result.Buffer.Length;
                connection.Transport.Input.AdvanceTo(result.Buffer.End);
            },
            c => c.UseTlsAsClient(new TlsSettings { AcceptsPeer = (_, _, _) => true }), async connection =>
            {
                await connection.Transport.Output.FlushAsync();
                await connection.Transport.Output.WriteAsync(new byte[] { 7 });
            });

        // The server's first read holds the one byte written after the empty flush, not an empty record before it.
        Assert.Equal(1, received);
    }
}
