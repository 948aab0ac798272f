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
        var serving = Build(serverTls, server)(Connection("server", up, down));
        await Build(clientTls, client)(Connection("client", down, up)).WaitAsync(Patience);
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

    /// <summary>One end's connection delegate: its TLS middleware, then <paramref name="application"/>.</summary>
    public static ConnectionDelegate Build(Action<IConnectionBuilder> tls, Func<ConnectionContext, Task> application)
    {
        var builder = new ConnectionBuilder(new NoServices());
        tls(builder);
        return builder.Run(application).Build();
    }

    /// <summary>The connection of the end that reads <paramref name="input"/> and writes <paramref name="output"/>.</summary>
    public static DefaultConnectionContext Connection(string id, Pipe input, Pipe output) => new(id, new End(input.Reader, output.Writer), new End(input.Reader, output.Writer));

    private sealed record End(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
