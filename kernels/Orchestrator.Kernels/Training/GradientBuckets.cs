using Orchestrator.Kernels.Communication;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Training;

/// <summary>
/// Groups gradients into flat buckets of about a fixed size, in reverse parameter order (the order backward produces
/// them, so a transport could start on a bucket as soon as it fills), and reduces each bucket with one collective.
/// </summary>
internal sealed class GradientBuckets
{
    private readonly List<List<Parameter>> buckets = [];

    public GradientBuckets(IEnumerable<Parameter> parameters, long bucketBytes)
    {
        var current = new List<Parameter>();
        long bytes = 0;
        foreach (var p in parameters.Reverse())
        {
            var size = p.numel() * p.element_size();
            if (current.Count > 0 && bytes + size > bucketBytes)
            {
                buckets.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(p);
            bytes += size;
        }

        if (current.Count > 0)
        {
            buckets.Add(current);
        }
    }

    public int Count => buckets.Count;

    /// <summary>Reduces every bucket's gradients over <paramref name="group"/>, writing the results back.</summary>
    public void Reduce(ICommunicator group, ReduceOperation operation)
    {
        if (group.Size == 1)
        {
            return;
        }

        foreach (var bucket in buckets)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var grads = bucket.Select(p => p.grad ?? throw new InvalidOperationException("Every parameter needs a gradient before reduction.")).ToList();
            var flat = cat(grads.Select(g => g.reshape(-1)).ToList(), 0);
            group.AllReduce(flat, operation);
            long offset = 0;
            foreach (var g in grads)
            {
                g.copy_(flat.narrow(0, offset, g.numel()).view(g.shape));
                offset += g.numel();
            }
        }
    }
}
