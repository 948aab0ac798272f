using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Storage;

namespace Orchestrator.Checkpoints.Reading;

/// <summary>Random access to one stored shard's bytes; keeps the chunk last read, since runs arrive in order.</summary>
internal sealed class ShardBytes(ChunkRepository chunks, string checkpoint, TensorShard shard, int chunkSize)
{
    private int _cachedIndex = -1;
    private byte[] _cached = [];

    public async ValueTask CopyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var copied = 0;
        while (copied < destination.Length)
        {
            var position = offset + copied;
            var index = (int)(position / chunkSize);
            if (index != _cachedIndex)
            {
                var expected = (int)Math.Min(chunkSize, shard.ByteLength - (long)index * chunkSize);
                _cached = await chunks.ReadVerifiedAsync(checkpoint, shard.Chunks[index], expected, cancellationToken).ConfigureAwait(false);
                _cachedIndex = index;
            }

            var within = (int)(position - (long)index * chunkSize);
            var count = Math.Min(_cached.Length - within, destination.Length - copied);
            _cached.AsSpan(within, count).CopyTo(destination.Span.Slice(copied, count));
            copied += count;
        }
    }
}
