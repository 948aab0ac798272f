using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// An expert-parallel group whose ranks are threads of one process: each rank posts its outgoing slices in a
/// shared mailbox, all meet at a barrier, each takes what was addressed to it, and all meet again before the mailbox
/// is reused. Used where no real communicator is wired in (tests, single-host runs).
/// </summary>
internal sealed class InProcessExpertExchange
{
    private readonly Tensor?[,] _mailbox;
    private readonly Barrier _barrier;
    private readonly TimeSpan _timeout;

    public InProcessExpertExchange(int size, TimeSpan? timeout = null)
    {
        if (size <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"Expert-parallel group size must be positive, got {size}.");
        }

        Size = size;
        _mailbox = new Tensor?[size, size];
        _barrier = new Barrier(size);
        _timeout = timeout ?? TimeSpan.FromMinutes(2);
    }

    public int Size { get; }

    /// <summary>The endpoint rank <paramref name="rank"/> calls.</summary>
    public IExpertExchange ForRank(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, Size);
        return new Endpoint(this, rank);
    }

    private Tensor Exchange(int rank, Tensor input, IReadOnlyList<long> sendRows, IReadOnlyList<long> receiveRows)
    {
        if (sendRows.Count != Size || receiveRows.Count != Size)
        {
            throw new ArgumentException($"All-to-all on rank {rank} needs {Size} send and receive counts, got {sendRows.Count} and {receiveRows.Count}.");
        }

        if (sendRows.Sum() != input.shape[0])
        {
            throw new ArgumentException($"All-to-all on rank {rank}: send counts sum to {sendRows.Sum()} but the input has {input.shape[0]} rows.");
        }

        long offset = 0;
        for (var destination = 0; destination < Size; destination++)
        {
            _mailbox[rank, destination] = input.narrow(0, offset, sendRows[destination]);
            offset += sendRows[destination];
        }

        Meet(rank);
        var parts = new Tensor[Size];
        for (var source = 0; source < Size; source++)
        {
            var part = _mailbox[source, rank]!;
            if (part.shape[0] != receiveRows[source])
            {
                throw new InvalidOperationException(
                    $"All-to-all on rank {rank} expected {receiveRows[source]} rows from rank {source} but got {part.shape[0]}.");
            }

            parts[source] = part;
        }

        var received = cat(parts, 0);
        Meet(rank);
        for (var destination = 0; destination < Size; destination++)
        {
            // Everyone has copied out of this rank's row by now; drop the views so the input can be freed.
            _mailbox[rank, destination] = null;
        }

        return received;
    }

    private void Meet(int rank)
    {
        if (!_barrier.SignalAndWait(_timeout))
        {
            throw new TimeoutException($"Rank {rank} waited {_timeout} for the other expert-parallel ranks at an all-to-all.");
        }
    }

    private sealed class Endpoint(InProcessExpertExchange group, int rank) : IExpertExchange
    {
        public int Rank { get; } = rank;

        public int Size => group.Size;

        public Tensor AllToAll(Tensor input, IReadOnlyList<long> sendRows, IReadOnlyList<long> receiveRows) =>
            group.Exchange(Rank, input, sendRows, receiveRows);
    }
}
