using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Memory;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Search;

/// <summary>
/// Chooses a parallel layout: enumerates tensor, pipeline, data and expert sizes, virtual stages, micro-batch,
/// recomputation, sequence parallelism and ZeRO-1, drops what does not divide or does not fit in memory, and
/// ranks the rest by predicted iteration time. A fixed layout can be priced instead.
/// </summary>
public static class LayoutSearch
{
    private static readonly RecomputeMode[] AllRecomputeModes = [RecomputeMode.None, RecomputeMode.Selective, RecomputeMode.Full];
    private static readonly bool[] Both = [false, true];
    private static readonly bool[] No = [false];

    /// <summary>
    /// Searches every layout that uses the cluster's GPUs (or, when the batch divides a slightly smaller count
    /// better, leaves a few idle) and honours the request's fixed choices.
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid; the message names the field.</exception>
    /// <exception cref="PlanningException">No candidate divides the model and batch and fits in memory.</exception>
    public static PlanningResult Search(PlanningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = request.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(request));

        var model = request.Model.ResolvedFor(request.Cluster.Gpu);
        request = request with { Model = model, Training = request.Training.ResolvedFor(request.Cluster.Gpu) };
        var cluster = request.Cluster;
        var gpus = cluster.GpuCount;
        var calculator = new IterationCalculator(model, request.Training, cluster.Gpu, request.Constants);
        var ranking = new Ranking(request.Alternatives + 1);
        var rejections = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var worldSize in WorldSizes(request))
        {
            SearchWorld(request, worldSize, calculator, ranking, rejections);
        }

        if (ranking.Count == 0)
        {
            var reasons = rejections.Count == 0 ? "no layout matches the fixed choices" : string.Join(", ", rejections.Select(r => $"{r.Key}: {r.Value}"));
            throw new PlanningException(
                $"no layout of {gpus} × {cluster.Gpu.Name} can train this model with training.globalBatch {request.Training.GlobalBatch} " +
                $"(model {model.Layers} layers, hidden {model.Hidden}, {model.ParameterCount() / 1e9:F1}B parameters); rejected: {reasons}",
                rejections);
        }

        var plans = ranking.Plans;
        return new PlanningResult(plans[0], plans.Skip(1).ToList(), rejections, ranking.Evaluated);
    }

    /// <summary>
    /// The world sizes to search: all the GPUs, and, when the batch divides a slightly smaller count better, that
    /// count too (up to <see cref="PlanningRequest.MaxIdleFraction"/> of the GPUs left idle). Going down from all
    /// the GPUs, a size is kept only when it shares a larger factor with the global batch than every size above it
    /// (more ways to split the batch over data-parallel replicas); the others can only be slower.
    /// </summary>
    internal static IEnumerable<int> WorldSizes(PlanningRequest request)
    {
        var gpus = request.Cluster.GpuCount;
        yield return gpus;
        if (request.TensorParallelSize is not null && request.PipelineParallelSize is not null && request.DataParallelSize is not null) yield break;
        var batch = request.Training.GlobalBatch;
        var best = Gcd(gpus, batch);
        var lowest = Math.Max(1, (int)Math.Ceiling(gpus * (1 - request.MaxIdleFraction)));
        for (var size = gpus - 1; size >= lowest; size--)
        {
            var shared = Gcd(size, batch);
            if (shared <= best) continue;
            best = shared;
            yield return size;
        }
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static void SearchWorld(PlanningRequest request, int gpus, IterationCalculator calculator, Ranking ranking, Dictionary<string, int> rejections)
    {
        var model = request.Model;
        var cluster = request.Cluster;
        foreach (var t in Options(request.TensorParallelSize, Divisors(gpus)))
        {
            if (model.Heads % t != 0 || model.Ffn % t != 0 || (model.KeyValueGroups % t != 0 && t % model.KeyValueGroups != 0))
            {
                Reject(rejections, RejectionReason.TensorDoesNotDivideModel);
                continue;
            }

            if (request.TensorParallelSize is null && t > cluster.NvlinkDomainSize)
            {
                Reject(rejections, RejectionReason.TensorBeyondNvlinkDomain);
                continue;
            }

            foreach (var c in ContextOptions(request, gpus / t))
            foreach (var p in Options(request.PipelineParallelSize, Divisors(gpus / (t * c))))
            {
                if (gpus % (t * c * p) != 0) continue;
                if (p > model.Layers)
                {
                    Reject(rejections, RejectionReason.PipelineDoesNotSplitLayers);
                    continue;
                }

                var d = gpus / (t * c * p);
                if (request.DataParallelSize is { } fixedData && fixedData != d) continue;
                if (request.Training.GlobalBatch % d != 0)
                {
                    Reject(rejections, RejectionReason.BatchDoesNotDivide);
                    continue;
                }

                foreach (var e in Options(request.ExpertParallelSize, model.Moe is null ? [1] : Divisors(d)))
                {
                    if (d % e != 0 || (model.Moe is { } moe ? moe.Experts % e != 0 : e != 1))
                    {
                        Reject(rejections, RejectionReason.ExpertDoesNotDivide);
                        continue;
                    }

                    foreach (var v in VirtualStageOptions(request, model.Layers, p))
                    {
                        var layout = new ParallelLayout(t, p, d, e, v, c);
                        SearchLayout(request, layout, cluster.LinksFor(layout), calculator, ranking, rejections);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Context-parallel sizes to try: 1, and for sequences of at least <see cref="PlanningRequest.ContextParallelMinSequence"/>
    /// tokens on the fused attention kernel, the divisors of what the tensor group leaves that split the sequence
    /// into 2c chunks (below that length the key/value ring costs more than the activation memory it saves).
    /// </summary>
    private static IEnumerable<int> ContextOptions(PlanningRequest request, int ranks)
    {
        if (request.ContextParallelSize is { } fixedContext)
        {
            if (ranks % fixedContext == 0) yield return fixedContext;
            yield break;
        }

        yield return 1;
        var model = request.Model;
        if (!model.Flash || model.SequenceLength < request.ContextParallelMinSequence) yield break;
        for (var c = 2; c <= Math.Min(ranks, request.MaxContextParallelSize); c++)
        {
            if (ranks % c == 0 && model.SequenceLength % (2 * c) == 0) yield return c;
        }
    }

    /// <summary>Prices one fixed choice on the request's cluster, whether or not it fits in memory (see <see cref="MemoryEstimate.Fits"/>).</summary>
    /// <exception cref="ArgumentException">The request or the choice is invalid, or the choice does not use the cluster's GPUs.</exception>
    public static PlanEstimate Evaluate(PlanningRequest request, LayoutChoice choice) => Evaluate(request, choice, links: null);

    /// <summary>
    /// Prices one fixed choice with the links a real placement uses (build them with <see cref="GroupLinks.FromLevels"/>
    /// from the levels the placement reports), so a fragmented placement predicts slower than a compact one.
    /// </summary>
    /// <param name="request">Model, batch and cluster.</param>
    /// <param name="choice">The layout to price.</param>
    /// <param name="links">The links of the placement; null for the cluster's Megatron-order default.</param>
    /// <exception cref="ArgumentException">The request or the choice is invalid, or the choice does not use the cluster's GPUs.</exception>
    public static PlanEstimate Evaluate(PlanningRequest request, LayoutChoice choice, GroupLinks? links)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(choice);
        var errors = new List<string>(request.Validate());
        errors.AddRange(choice.Validate(request.Model, request.Training));
        if (choice.Layout.WorldSize != request.Cluster.GpuCount)
            errors.Add($"parallelism tensor × pipeline × data ({choice.Layout.WorldSize}) must equal resources.gpus ({request.Cluster.GpuCount})");
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(choice));

        var cluster = request.Cluster;
        var cost = new IterationCalculator(request.Model, request.Training, cluster.Gpu, request.Constants)
            .Estimate(choice, links ?? cluster.LinksFor(choice.Layout));
        var memory = MemoryModel.EstimateUnchecked(request.Model, request.Training, choice, cluster.Gpu, request.Constants);
        return new PlanEstimate(choice, cost, memory);
    }

    private static void SearchLayout(
        PlanningRequest request, ParallelLayout layout, GroupLinks links, IterationCalculator calculator, Ranking ranking, Dictionary<string, int> rejections)
    {
        var model = request.Model;
        var training = request.Training;
        int t = layout.Tensor, p = layout.Pipeline, d = layout.Data, v = layout.VirtualStages;
        var schedule = v > 1 ? PipelineSchedule.Interleaved : request.Schedule;
        var perReplica = training.GlobalBatch / d;
        var microBatches = Options(request.MicroBatch, Divisors(perReplica).Where(b => b <= request.MaxMicroBatch)).ToList();

        foreach (var recompute in Options(request.Recompute, AllRecomputeModes))
        foreach (var sequenceParallel in Options(request.SequenceParallel, t > 1 ? Both : No))
        foreach (var shard in Options(request.ShardOptimizer, d > 1 ? Both : No))
        {
            if (sequenceParallel && t == 1) continue;
            for (var i = 0; i < microBatches.Count; i++)
            {
                var b = microBatches[i];
                if (perReplica % b != 0)
                {
                    Reject(rejections, RejectionReason.BatchDoesNotDivide);
                    continue;
                }

                if (v > 1 && perReplica / b % p != 0)
                {
                    Reject(rejections, RejectionReason.InterleavingNeedsMoreMicroBatches);
                    continue;
                }

                var choice = new LayoutChoice(layout, b, recompute, sequenceParallel, shard, schedule);
                var memory = MemoryModel.EstimateUnchecked(model, training, choice, request.Cluster.Gpu, request.Constants);
                if (!memory.Fits)
                {
                    // Memory grows with the micro-batch: every larger one fails too.
                    Reject(rejections, RejectionReason.OutOfMemory, microBatches.Count - i);
                    break;
                }

                ranking.Offer(choice, memory, calculator, links);
            }
        }
    }

    private static IEnumerable<int> VirtualStageOptions(PlanningRequest request, int layers, int pipeline)
    {
        if (request.VirtualStages is { } fixedStages)
        {
            if (fixedStages == 1 || (pipeline > 1 && layers % (pipeline * fixedStages) == 0)) yield return fixedStages;
            yield break;
        }

        yield return 1;
        if (pipeline == 1 || request.Schedule != PipelineSchedule.OneForwardOneBackward) yield break;
        for (var v = 2; v <= request.MaxVirtualStages && pipeline * v <= layers; v++)
        {
            if (layers % (pipeline * v) == 0) yield return v;
        }
    }

    private static IEnumerable<T> Options<T>(T? fixedValue, IEnumerable<T> all) where T : struct =>
        fixedValue is { } value ? [value] : all;

    private static List<int> Divisors(int n)
    {
        var result = new List<int>();
        for (var i = 1; i <= n; i++)
        {
            if (n % i == 0) result.Add(i);
        }

        return result;
    }

    private static void Reject(Dictionary<string, int> rejections, string reason, int count = 1) =>
        rejections[reason] = rejections.GetValueOrDefault(reason) + count;
}
