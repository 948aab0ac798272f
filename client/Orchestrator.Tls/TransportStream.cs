using System.Buffers;
using System.IO.Pipelines;

namespace Orchestrator.Tls;

/// <summary>
/// The connection's transport (a pair of pipes to the socket) as the one stream <see cref="System.Net.Security.SslStream"/>
/// reads records from and writes records to: reads are the pipe library's own stream over the input; a write hands its
/// record to the socket at once (the TLS layer above writes a whole flush of messages as one call, so nothing is held
/// back waiting for more, and there is nothing left to flush afterwards).
/// </summary>
internal sealed class TransportStream(IDuplexPipe transport) : Stream
{
    private readonly Stream _input = transport.Input.AsStream(leaveOpen: true);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
        _input.ReadAsync(destination, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        transport.Output.Write(source.Span);
        var flushed = transport.Output.FlushAsync(cancellationToken);
        if (!flushed.IsCompletedSuccessfully) return WhenFlushedAsync(flushed);
        flushed.GetAwaiter().GetResult();
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }

    private static async ValueTask WhenFlushedAsync(ValueTask<FlushResult> flushed) => await flushed;
}
