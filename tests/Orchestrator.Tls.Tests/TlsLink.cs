using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Orchestrator.Tls.Tests;

/// <summary>A client and a server connection joined by two in-memory pipes, each end behind its own middleware.</summary>
internal static class TlsLink
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Runs both ends until the client's application returns, then closes the link and waits for the server.</summary>
    public static async Task RunAsync(Action<IConnectionBuilder> serverTls, Func<ConnectionContext, Task> server,
        Action<IConnectionBuilder> clientTls, Func<ConnectionContext, Task> client)
    {
        var (up, down) = (new Pipe(), new Pipe());
        var serving = Build(serverTls, server)(new DefaultConnectionContext("server", new End(up.Reader, down.Writer), new End(up.Reader, down.Writer)));
        await Build(clientTls, client)(new DefaultConnectionContext("client", new End(down.Reader, up.Writer), new End(down.Reader, up.Writer))).WaitAsync(Patience);
        await up.Writer.CompleteAsync();
        await serving.WaitAsync(Patience);
    }

    /// <summary>Writes back whatever arrives until the client closes.</summary>
    public static async Task EchoAsync(ConnectionContext connection)
    {
        while (true)
        {
            var result = await connection.Transport.Input.ReadAsync();
            foreach (var segment in result.Buffer) connection.Transport.Output.Write(segment.Span);
            connection.Transport.Input.AdvanceTo(result.Buffer.End);
            await connection.Transport.Output.FlushAsync();
            if (result.IsCompleted) return;
        }
    }

    public static async Task<byte[]> ReadAsync(PipeReader input, int size)
    {
        while (true)
        {
            var result = await input.ReadAsync();
            if (result.Buffer.Length >= size)
            {
                var bytes = result.Buffer.Slice(0, size).ToArray();
                input.AdvanceTo(result.Buffer.GetPosition(size));
                return bytes;
            }

            if (result.IsCompleted) throw new EndOfStreamException($"{result.Buffer.Length} of {size} bytes came back");
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static ConnectionDelegate Build(Action<IConnectionBuilder> tls, Func<ConnectionContext, Task> application)
    {
        var builder = new ConnectionBuilder(new NoServices());
        tls(builder);
        return builder.Run(application).Build();
    }

    private sealed record End(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
