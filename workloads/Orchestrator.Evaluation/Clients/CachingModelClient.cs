using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Clients;

/// <summary>
/// A model client that answers from a <see cref="RequestCache"/> when it can and asks the inner model (then records the
/// answer) when it cannot, counting both: a resumed shard shows how much it did not redo.
/// </summary>
/// <param name="inner">The model asked on a miss.</param>
/// <param name="cache">Where answers are kept, under the inner client's model id.</param>
public sealed class CachingModelClient(IModelClient inner, RequestCache cache) : IModelClient
{
    private long _hits;
    private long _misses;

    /// <summary>Requests answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requests sent to the inner model.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <inheritdoc />
    public string ModelId => inner.ModelId;

    /// <inheritdoc />
    public ContextWindow Window => inner.Window;

    /// <inheritdoc />
    public async Task<RequestResult> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        if (cache.TryGet(inner.ModelId, request, out var cached))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        Interlocked.Increment(ref _misses);
        var result = await inner.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
        cache.Put(inner.ModelId, request, result);
        return result;
    }
}
