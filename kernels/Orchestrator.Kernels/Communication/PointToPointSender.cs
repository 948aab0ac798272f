using System.Collections.Concurrent;
using Orchestrator.Kernels.Communication.Gloo;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>
/// Cross-process sends for one group. <see cref="ICommunicator.Send"/> must not wait for the receive (pipeline schedules
/// send and move on), but a Gloo send completes only once the peer takes it; so each (peer, slot) stream has its own
/// thread that sends its messages in order, and a failed send aborts the world (the receiver fails on its own).
/// A message is a header (<see cref="TensorHeader"/>) followed by the tensor's bytes, both on the same slot.
/// </summary>
internal sealed class PointToPointSender(GlooContext context, InProcessWorldState world)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(int Peer, ulong Slot), BlockingCollection<Tensor>> streams = [];

    // One count per running stream thread, plus one that Close gives up: zero once every stream thread has ended.
    private readonly CountdownEvent running = new(1);
    private bool closed;

    public void Post(int peer, ulong slot, Tensor message)
    {
        // Under the lock, so that no message slips in after Close has completed the queues.
        lock (gate)
        {
            if (closed)
            {
                message.Dispose();
                throw new ObjectDisposedException(nameof(PointToPointSender), $"Send to process {peer} on group {context.Name} after its world was disposed.");
            }

            if (!streams.TryGetValue((peer, slot), out var stream))
            {
                stream = new BlockingCollection<Tensor>();
                streams.Add((peer, slot), stream);
                running.AddCount();
                new Thread(() => Drain(peer, slot, stream)) { IsBackground = true, Name = $"send {context.Name} to {peer}" }.Start();
            }

            stream.Add(message);
        }
    }

    public static Tensor Receive(GlooContext context, int peer, ulong slot, CancellationToken cancellationToken)
    {
        var header = new long[TensorHeader.Length];
        Transfer(header, bytes => context.Receive(bytes.Address, bytes.Length, peer, slot, cancellationToken));
        var tensor = TensorHeader.Materialize(header, []);
        var size = TensorHeader.BytesOf(header);
        if (size > 0)
        {
            context.Receive(TensorMemory.Address(tensor), size, peer, slot, cancellationToken);
        }

        return tensor;
    }

    /// <summary>
    /// Lets every posted message go and waits for the stream threads to end, so that the context may be freed: a thread
    /// still holding queued messages would call into freed native memory. Each send is bounded by the context's timeout
    /// and a failed one aborts the world; once the world is aborted, queued messages are dropped and a thread still
    /// blocked inside Gloo (it wakes only when its peer goes) gets <paramref name="abortedGrace"/>.
    /// </summary>
    /// <returns>True when every stream thread has ended; false when one is still inside a native call.</returns>
    public bool Close(TimeSpan abortedGrace)
    {
        List<BlockingCollection<Tensor>> queues;
        lock (gate)
        {
            if (closed) return running.IsSet;
            closed = true;
            queues = [.. streams.Values];
        }

        queues.ForEach(q => q.CompleteAdding());
        running.Signal();
        WaitHandle.WaitAny([world.Aborted.WaitHandle, running.WaitHandle]);
        return running.Wait(abortedGrace);
    }

    private void Drain(int peer, ulong slot, BlockingCollection<Tensor> queue)
    {
        try
        {
            foreach (var message in queue.GetConsumingEnumerable(world.Aborted))
            {
                using (message)
                {
                    var header = new long[TensorHeader.Length];
                    TensorHeader.Write(message, header);
                    Transfer(header, bytes => context.Send(bytes.Address, bytes.Length, peer, slot));
                    var size = message.numel() * message.element_size();
                    if (size > 0)
                    {
                        context.Send(TensorMemory.Address(message), size, peer, slot);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The world was aborted by someone else's failure.
        }
        catch (Exception e)
        {
            world.Abort(e);
        }
        finally
        {
            running.Signal();
        }
    }

    private static unsafe void Transfer(long[] header, Action<(IntPtr Address, long Length)> call)
    {
        fixed (long* pointer = header)
        {
            call(((IntPtr)pointer, header.Length * sizeof(long)));
        }
    }
}
