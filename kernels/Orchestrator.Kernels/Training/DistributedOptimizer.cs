using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Training;

/// <summary>
/// The optimizer step of a rank in a tensor-, pipeline- and data-parallel job: finish the gradients (bucketed
/// data-parallel averaging, sequence-parallel sums over the tensor group, the tied word embedding summed between first
/// and last stage), clip them by their global norm over all ranks, and apply AdamW (optionally ZeRO-1 sharded).
/// </summary>
public sealed class DistributedOptimizer
{
    private readonly IReadOnlyList<PartitionParameter> parameters;
    private readonly ProcessGroups groups;
    private readonly DataParallelOptions dataParallel;
    private readonly GradientBuckets denseBuckets;
    private readonly GradientBuckets expertBuckets;
    private readonly FlatAdamW denseOptimizer;
    private readonly FlatAdamW expertOptimizer;
    private bool gradientsFinished;

    /// <summary>Prepares buckets and optimizer state for <paramref name="parameters"/> (a rank's <see cref="GptPartition.Parameters"/>).</summary>
    public DistributedOptimizer(IReadOnlyList<PartitionParameter> parameters, ProcessGroups groups, AdamWOptions adamW, DataParallelOptions dataParallel)
    {
        adamW.Validate();
        this.dataParallel = dataParallel.Validate();
        this.parameters = parameters;
        this.groups = groups;
        var dense = parameters.Where(p => !p.IsExpert).Select(p => p.Value).ToList();
        var experts = parameters.Where(p => p.IsExpert).Select(p => p.Value).ToList();
        denseBuckets = new GradientBuckets(dense, dataParallel.BucketBytes);
        expertBuckets = new GradientBuckets(experts, dataParallel.BucketBytes);
        denseOptimizer = new FlatAdamW(dense, adamW, dataParallel.ShardOptimizerState ? groups.Data : null);
        expertOptimizer = new FlatAdamW(experts, adamW, dataParallel.ShardOptimizerState ? groups.ExpertData : null);
    }

    /// <summary>Gradient buckets per data-parallel all-reduce (dense and expert).</summary>
    public int BucketCount => denseBuckets.Count + expertBuckets.Count;

    /// <summary>Floats of AdamW state this rank keeps (smaller by the data-parallel size under ZeRO-1).</summary>
    public long OptimizerStateElements => denseOptimizer.StateElements + expertOptimizer.StateElements;

    /// <summary>AdamW steps taken (the t of the bias corrections); what a checkpoint must carry besides the moments.</summary>
    public long StepCount => Math.Max(denseOptimizer.StepCount, expertOptimizer.StepCount);

    /// <summary>
    /// AdamW's first and second moments of each parameter, in the order of the parameters this optimizer was built
    /// with, each shaped like that parameter (this rank's shard), so a checkpoint can store them per parameter,
    /// independent of the flat layout. Under ZeRO-1 the slices are first gathered over the data-parallel (expert:
    /// expert-data) group: a collective every rank must call at the same point. The caller disposes the tensors;
    /// without ZeRO-1 they are views of the live state, valid until the next <see cref="Step"/>.
    /// </summary>
    public IReadOnlyList<(Tensor ExpAvg, Tensor ExpAvgSq)> ExportMoments()
    {
        var moments = new (Tensor ExpAvg, Tensor ExpAvgSq)[parameters.Count];
        Export(denseOptimizer, expert: false);
        Export(expertOptimizer, expert: true);
        return moments;

        void Export(FlatAdamW optimizer, bool expert)
        {
            if (optimizer.GatherMoments() is not ({ } first, { } second))
            {
                return;
            }

            using (first)
            using (second)
            {
                long offset = 0;
                for (var i = 0; i < parameters.Count; i++)
                {
                    if (parameters[i].IsExpert != expert)
                    {
                        continue;
                    }

                    var value = parameters[i].Value;
                    var count = value.numel();
                    using var firstPart = first.narrow(0, offset, count);
                    using var secondPart = second.narrow(0, offset, count);
                    moments[i] = (firstPart.view(value.shape), secondPart.view(value.shape));
                    offset += count;
                }
            }
        }
    }

    /// <summary>
    /// Replaces the AdamW state with per-parameter moments (shaped and ordered as <see cref="ExportMoments"/> returns
    /// them, e.g. read back from a checkpoint) and the step count. Under ZeRO-1 each rank keeps its slice; not a collective.
    /// </summary>
    /// <exception cref="ArgumentException">The list does not match the parameters in count or shape.</exception>
    public void ImportMoments(IReadOnlyList<(Tensor ExpAvg, Tensor ExpAvgSq)> moments, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(moments);
        if (moments.Count != parameters.Count)
        {
            throw new ArgumentException($"moments must list one entry per parameter ({parameters.Count}), got {moments.Count}", nameof(moments));
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var expected = parameters[i].Value.numel();
            if (moments[i].ExpAvg.numel() != expected || moments[i].ExpAvgSq.numel() != expected)
            {
                throw new ArgumentException($"moments of parameter '{parameters[i].Name}' must have {expected} elements, got {moments[i].ExpAvg.numel()} and {moments[i].ExpAvgSq.numel()}", nameof(moments));
            }
        }

        Import(denseOptimizer, expert: false);
        Import(expertOptimizer, expert: true);

        void Import(FlatAdamW optimizer, bool expert)
        {
            using var scope = NewDisposeScope();
            var selected = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].IsExpert == expert).ToList();
            var first = selected.Count == 0 ? null : cat(selected.Select(i => moments[i].ExpAvg.reshape(-1)).ToList(), 0);
            var second = selected.Count == 0 ? null : cat(selected.Select(i => moments[i].ExpAvgSq.reshape(-1)).ToList(), 0);
            optimizer.LoadMoments(first, second, stepCount);
        }
    }

    /// <summary>
    /// Finishes the gradients (unless <see cref="FinishGradients"/> was already called for this step), clips, updates
    /// the weights and clears the gradients.
    /// </summary>
    /// <returns>The global gradient norm before clipping.</returns>
    public double Step()
    {
        if (!gradientsFinished)
        {
            FinishGradients();
        }

        gradientsFinished = false;
        var norm = ClipGradients();
        denseOptimizer.Step();
        expertOptimizer.Step();
        foreach (var p in parameters)
        {
            using var grad = p.Value.grad;
            grad?.zero_();
        }

        return norm;
    }

    /// <summary>
    /// Makes every rank's gradients those of the global mean loss: averages over data-parallel replicas, sums
    /// sequence-parallel partial gradients over the tensor group, and sums the tied word embedding's two halves over
    /// the embedding group. An expert rank's experts serve the tokens of the e replicas of its expert group, so after
    /// backward they hold the sum of e replicas' mean-loss gradients: they are averaged over the expert-data group
    /// (d / e ranks) and divided by e, which together is the mean over all d replicas, like the dense weights.
    /// </summary>
    public void FinishGradients()
    {
        if (gradientsFinished)
        {
            throw new InvalidOperationException("Gradients were already finished for this step; call Step() before the next backward pass.");
        }

        gradientsFinished = true;
        using (no_grad())
        {
            foreach (var p in parameters.Where(p => p.Value.grad is null))
            {
                p.Value.grad = zeros_like(p.Value);
            }
        }

        // Under ZeRO-1 the data-parallel average is a reduce-scatter at the end (the sums below are linear, so the
        // order does not matter); otherwise bucketed all-reduces.
        if (!denseOptimizer.Sharded) denseBuckets.Reduce(groups.Data, ReduceOperation.Average);
        if (!expertOptimizer.Sharded) expertBuckets.Reduce(groups.ExpertData, ReduceOperation.Average);
        if (groups.Expert.Size > 1)
        {
            using (no_grad())
            {
                foreach (var p in parameters.Where(p => p.IsExpert))
                {
                    using var grad = p.Value.grad!;
                    grad.div_(groups.Expert.Size);
                }
            }
        }

        new GradientBuckets(parameters.Where(p => p.SumGradientOverTensorGroup).Select(p => p.Value), long.MaxValue)
            .Reduce(groups.Tensor, ReduceOperation.Sum);
        if (groups.Embedding.Size > 1)
        {
            new GradientBuckets(parameters.Where(p => p.Name == GptParameterNames.WordEmbedding).Select(p => p.Value), long.MaxValue)
                .Reduce(groups.Embedding, ReduceOperation.Sum);
        }

        denseOptimizer.ReduceScatterGradients();
        expertOptimizer.ReduceScatterGradients();
    }

    /// <summary>
    /// Computes the norm of the full model's gradient over all ranks, counting each weight once (tensor-replicated
    /// parameters on tensor rank 0 only, the tied copy not at all), and scales gradients down to the configured maximum.
    /// </summary>
    /// <returns>The norm before clipping.</returns>
    public double ClipGradients()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tensorRank = groups.Tensor.Rank;
        var counted = parameters.Where(p => !p.IsTiedCopy && (p.ShardDimension >= 0 || tensorRank == 0)).ToList();
        var device = parameters.Count > 0 ? parameters[0].Value.device : CPU;
        var squares = zeros(2, ScalarType.Float64, device);
        foreach (var p in counted.Where(p => !(p.IsExpert ? expertOptimizer : denseOptimizer).Sharded))
        {
            squares[p.IsExpert ? 1 : 0] += p.Value.grad!.to(ScalarType.Float64).pow(2).sum();
        }

        // ZeRO-1: each rank holds a slice of its replica's reduced gradient; the slices together are one copy.
        AddSliceSquares(denseOptimizer, expert: false, groups.Data);
        AddSliceSquares(expertOptimizer, expert: true, groups.ExpertData);

        // Dense weights: each data replica holds one full copy across its model-parallel group. Expert weights are
        // further split across the expert group.
        groups.ModelParallel.AllReduce(squares);
        var expert = squares[1].clone();
        groups.Expert.AllReduce(expert);
        var norm = Math.Sqrt(squares[0].item<double>() + expert.item<double>());
        if (dataParallel.MaxGradientNorm is { } max && norm > max)
        {
            var scale = max / (norm + 1e-6);
            foreach (var p in parameters)
            {
                p.Value.grad!.mul_(scale);
            }

            denseOptimizer.ScaleGradientSlice(scale);
            expertOptimizer.ScaleGradientSlice(scale);
        }

        return norm;

        void AddSliceSquares(FlatAdamW optimizer, bool expert, ICommunicator shardGroup)
        {
            if (!optimizer.Sharded) return;
            var marks = parameters.Where(p => p.IsExpert == expert).Select(p => !p.IsTiedCopy && (p.ShardDimension >= 0 || tensorRank == 0)).ToList();
            var slice = optimizer.SliceSquares(marks).to(device);
            shardGroup.AllReduce(slice);
            squares[expert ? 1 : 0] += slice[0];
        }
    }
}
