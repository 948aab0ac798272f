using Orchestrator.Kernels.Native;

namespace Orchestrator.Kernels.Communication.Gloo;

/// <summary>
/// One Gloo context: the processes of one cross-process group, fully meshed over TCP. Collectives on a context run one
/// at a time (Gloo contexts are not re-entrant for collectives); point-to-point messages use their own slots and may
/// run beside them. Every call has a timeout; a peer that dies closes its sockets, so calls fail at once rather than
/// at the timeout.
/// </summary>
internal sealed class GlooContext : IDisposable
{
    // Gloo's own collectives build their slots from small prefixes in the top byte; point-to-point traffic keeps clear.
    private const ulong PointToPointSlotPrefix = 0x7FUL << 56;
    private readonly object collectives = new();
    private readonly Func<int, string> describePeer;
    private IntPtr handle;

    private GlooContext(IntPtr handle, string name, int rank, int size, TimeSpan timeout, Func<int, string> describePeer)
    {
        this.handle = handle;
        this.describePeer = describePeer;
        Name = name;
        Rank = rank;
        Size = size;
        Timeout = timeout;
    }

    public string Name { get; }

    public int Rank { get; }

    public int Size { get; }

    public TimeSpan Timeout { get; }

    private long TimeoutMs => (long)Timeout.TotalMilliseconds;

    /// <summary>Joins the context named <paramref name="name"/> in the rendezvous store; returns once every process has.</summary>
    /// <param name="describePeer">Names a peer process (its world ranks) in error messages.</param>
    public static GlooContext Connect(GlooDevice device, GlooRendezvous rendezvous, string name, int rank, int size, Func<int, string> describePeer)
    {
        var error = new byte[GlooNative.ErrorCapacity];
        var handle = GlooNative.Connect(device.Handle, rendezvous.StoreDirectory, $"{rendezvous.Prefix}/{name}", rank, size, (long)rendezvous.Timeout.TotalMilliseconds, error, error.Length);
        if (handle == IntPtr.Zero)
        {
            throw new CollectiveFailedException(
                $"Rendezvous of group {name} in {rendezvous.StoreDirectory} (prefix {rendezvous.Prefix}) failed within {rendezvous.Timeout} " +
                $"as process {rank} of {size}: {GlooNative.Message(error)}");
        }

        return new GlooContext(handle, name, rank, size, rendezvous.Timeout, describePeer);
    }

    public void AllReduce(IntPtr data, long count, GlooDataType type, bool maximum) =>
        Collective("AllReduce", error => GlooNative.AllReduce(handle, data, count, (int)type, maximum ? 1 : 0, TimeoutMs, error, error.Length));

    public void AllGatherV(IntPtr input, IntPtr output, long[] bytesPerRank) =>
        Collective("AllGather", error => GlooNative.AllGatherV(handle, input, output, bytesPerRank, TimeoutMs, error, error.Length));

    public void AllToAllV(IntPtr input, long[] inputBytes, IntPtr output, long[] outputBytes) =>
        Collective("AllToAll", error => GlooNative.AllToAllV(handle, input, inputBytes, output, outputBytes, TimeoutMs, error, error.Length));

    public void Broadcast(IntPtr data, long bytes, int root) =>
        Collective("Broadcast", error => GlooNative.Broadcast(handle, data, bytes, root, TimeoutMs, error, error.Length));

    public void Barrier() => Collective("Barrier", error => GlooNative.Barrier(handle, TimeoutMs, error, error.Length));

    /// <summary>The benchmark's baseline: float32 sum all-reduces issued from native code; seconds in total.</summary>
    public double TimeNativeAllReduce(IntPtr data, long count, int iterations)
    {
        lock (collectives)
        {
            var error = new byte[GlooNative.ErrorCapacity];
            var seconds = GlooNative.TimeAllReduce(handle, data, count, iterations, TimeoutMs, error, error.Length);
            return seconds >= 0 ? seconds : throw Failure("AllReduce (native timing)", GlooNative.Message(error));
        }
    }

    /// <summary>Sends <paramref name="bytes"/> to process <paramref name="peer"/>; returns when they are handed over.</summary>
    public void Send(IntPtr data, long bytes, int peer, ulong slot)
    {
        var error = new byte[GlooNative.ErrorCapacity];
        if (GlooNative.Send(handle, data, bytes, peer, PointToPointSlotPrefix | slot, TimeoutMs, error, error.Length) != 0)
        {
            throw Failure($"Send to {describePeer(peer)}", GlooNative.Message(error));
        }
    }

    /// <summary>Receives exactly <paramref name="bytes"/> from process <paramref name="peer"/>; cancellation aborts the wait.</summary>
    public void Receive(IntPtr data, long bytes, int peer, ulong slot, CancellationToken cancellationToken)
    {
        var error = new byte[GlooNative.ErrorCapacity];
        var receive = GlooNative.ReceivePost(handle, data, bytes, peer, PointToPointSlotPrefix | slot, error, error.Length);
        if (receive == IntPtr.Zero)
        {
            throw Failure($"Receive from {describePeer(peer)}", GlooNative.Message(error));
        }

        int status;
        try
        {
            // Gloo closes all of a context's connections when a wait times out, so waits are aborted, never polled.
            using (cancellationToken.Register(() => GlooNative.ReceiveAbort(receive)))
            {
                status = GlooNative.ReceiveWait(receive, TimeoutMs, error, error.Length);
            }
        }
        finally
        {
            GlooNative.ReceiveFree(receive);
        }

        if (status == 1)
        {
            throw new OperationCanceledException($"Receive from {describePeer(peer)} on group {Name} was cancelled.", cancellationToken);
        }

        if (status != 0)
        {
            throw Failure($"Receive from {describePeer(peer)}", GlooNative.Message(error));
        }
    }

    public void Dispose()
    {
        var owned = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (owned != IntPtr.Zero)
        {
            GlooNative.ContextFree(owned);
        }
    }

    private void Collective(string operation, Func<byte[], int> call)
    {
        var error = new byte[GlooNative.ErrorCapacity];
        lock (collectives)
        {
            if (call(error) != 0)
            {
                throw Failure(operation, GlooNative.Message(error));
            }
        }
    }

    private CollectiveFailedException Failure(string operation, string message)
    {
        var peers = string.Join("; ", Enumerable.Range(0, Size).Where(p => p != Rank).Select(describePeer));
        return new CollectiveFailedException(
            $"{operation} on group {Name} failed across processes (this is process {Rank} of {Size}; the others hold {peers}): {message}. " +
            "A peer process died or stopped answering within the timeout.");
    }
}
