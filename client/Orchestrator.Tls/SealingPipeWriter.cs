using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;

namespace Orchestrator.Tls;

/// <summary>
/// The pipe Orleans writes its messages into, sealed into TLS records on each flush. What Orleans writes between two
/// flushes (one or several messages) collects in one contiguous buffer and goes to <see cref="SslStream"/> in a single
/// write: one record per 16 KB, each handed to the socket once. A stream-backed pipe writer would write each of its
/// buffer segments as a record of its own and flush the socket again after them (see docs/security.md, "Where a
/// heartbeat's overhead goes").
/// </summary>
internal sealed class SealingPipeWriter(SslStream tls) : PipeWriter
{
    private const int InitialSize = 4096;

    // Buffers grown past this (a large batch of messages) are given back after their flush.
    private const int RetainedSize = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _written;
    private CancellationTokenSource _flushCancellation = new();
    private bool _completed;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written;

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_written + bytes > _buffer.Length) throw new InvalidOperationException("advanced past the end of the buffer given out");
        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_written == 0) return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        var token = _flushCancellation.Token;
        if (cancellationToken.CanBeCanceled) return SealLinkedAsync(token, cancellationToken);
        var sealing = tls.WriteAsync(_buffer.AsMemory(0, _written), token);
        if (!sealing.IsCompletedSuccessfully) return SealedAsync(sealing);
        Sent();
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
    }

    public override void CancelPendingFlush() => _flushCancellation.Cancel();

    // Completing the pipe leaves the TLS session and the connection's transport to their owners (TlsPipe, the listener).
    public override void Complete(Exception? exception = null)
    {
        if (_completed) return;
        _completed = true;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _written = 0;
        _flushCancellation.Dispose();
    }

    private void Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private void Sent()
    {
        _written = 0;
        if (_buffer.Length <= RetainedSize) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    }

    private async ValueTask<FlushResult> SealedAsync(ValueTask sealing)
    {
        try
        {
            await sealing;
        }
        catch (OperationCanceledException) when (_flushCancellation.IsCancellationRequested)
        {
            return Cancelled();
        }

        Sent();
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    private async ValueTask<FlushResult> SealLinkedAsync(CancellationToken own, CancellationToken caller)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(own, caller);
        try
        {
            await tls.WriteAsync(_buffer.AsMemory(0, _written), linked.Token);
        }
        catch (OperationCanceledException) when (own.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            return Cancelled();
        }

        Sent();
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    // A cancelled flush leaves the connection unusable (part of a record may be on the wire); the pipe contract asks
    // for a canceled result rather than an exception, and a fresh source for the next flush.
    private FlushResult Cancelled()
    {
        _flushCancellation.Dispose();
        _flushCancellation = new CancellationTokenSource();
        return new FlushResult(isCanceled: true, isCompleted: false);
    }
}
