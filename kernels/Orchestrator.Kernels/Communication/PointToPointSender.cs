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
internal sealed class PointToPointSender(GlooContext context, InProcessWorldState world) : IDisposable
{
    private readonly ConcurrentDictionary<(int Peer, ulong Slot), BlockingCollection<Tensor>> streams = new();

    public void Post(int peer, ulong slot, Tensor message)
    {
        var queue = streams.GetOrAdd((peer, slot), key =>
        {
            var created = new BlockingCollection<Tensor>();
            new Thread(() => Drain(key.Peer, key.Slot, created)) { IsBackground = true, Name = $"send {context.Name} to {key.Peer}" }.Start();
            return created;
        });
        queue.Add(message);
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

    public void Dispose()
    {
        foreach (var queue in streams.Values) queue.CompleteAdding();
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
    }

    private static unsafe void Transfer(long[] header, Action<(IntPtr Address, long Length)> call)
    {
        fixed (long* pointer = header)
        {
            call(((IntPtr)pointer, header.Length * sizeof(long)));
        }
    }
}
