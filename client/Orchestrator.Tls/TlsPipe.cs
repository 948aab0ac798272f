using System.IO.Pipelines;
using System.Net.Security;

namespace Orchestrator.Tls;

/// <summary>
/// An authenticated TLS session as the pipes Orleans reads and writes: messages in are opened from the session's
/// records by a stream-backed reader, messages out are sealed a whole flush at a time by <see cref="SealingPipeWriter"/>.
/// </summary>
internal sealed class TlsPipe : IDuplexPipe, IAsyncDisposable
{
    private readonly SslStream _session;

    public TlsPipe(SslStream session, StreamPipeReaderOptions reading)
    {
        _session = session;
        Input = PipeReader.Create(session, reading);
        Output = new SealingPipeWriter(session);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        await Output.CompleteAsync();
        await _session.DisposeAsync();
    }
}
