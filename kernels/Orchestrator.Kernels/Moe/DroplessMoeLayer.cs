using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Dropless Mixture-of-Experts (MegaBlocks-style): every token reaches all of its top-k experts. Assignments are
/// permuted by expert (stable), each expert's group is padded only up to a multiple of the block size, the expert
/// FFNs run as grouped products over those groups, and the results are un-permuted and combined with the gate weights.
/// With expert parallelism the groups travel to the rank holding their expert by an all-to-all of uneven counts.
/// </summary>
public sealed class DroplessMoeLayer : nn.Module<Tensor, MoeOutput>
{
    private readonly MoeOptions _options;
    private readonly IExpertExchange? _exchange;
    private readonly GroupedProductStrategy _strategy;

    /// <summary>A layer holding all experts (ExpertParallelSize must be 1); weights drawn from <paramref name="generator"/>.</summary>
    public DroplessMoeLayer(MoeOptions options, Generator? generator = null, GroupedProductStrategy strategy = GroupedProductStrategy.PerExpertGroups)
        : this(RequireSingleRank(options), new TopKRouter(options, generator),
            new ExpertWeights(options.ExpertCount, options.HiddenSize, options.FfnHiddenSize, generator), null, strategy)
    {
    }

    /// <summary>One rank's shard: <paramref name="experts"/> holds experts [rank * local, (rank + 1) * local).</summary>
    internal DroplessMoeLayer(MoeOptions options, TopKRouter router, ExpertWeights experts, IExpertExchange? exchange, GroupedProductStrategy strategy)
        : base(nameof(DroplessMoeLayer))
    {
        _options = options.Validate();
        if (options.CapacityFactor is not null)
        {
            throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.CapacityFactor)} must be null for the dropless layer, got {options.CapacityFactor}; use {nameof(CapacityFactorMoeLayer)} for the capacity baseline.",
                nameof(options));
        }

        var groupSize = exchange?.Size ?? 1;
        if (groupSize != options.ExpertParallelSize)
        {
            throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.ExpertParallelSize)} is {options.ExpertParallelSize} but the expert-parallel group has {groupSize} ranks.",
                nameof(options));
        }

        if (experts.Count != options.LocalExpertCount)
        {
            throw new ArgumentException(
                $"This rank must hold {options.LocalExpertCount} experts ({options.ExpertCount} / {options.ExpertParallelSize}), got {experts.Count}.",
                nameof(experts));
        }

        _exchange = exchange;
        _strategy = strategy;
        Router = router;
        Experts = experts;
        RegisterComponents();
    }

    /// <summary>The gate; replicated on every rank, its gradient is averaged with the data-parallel group.</summary>
    public TopKRouter Router { get; }

    /// <summary>The experts this rank holds; their gradient is averaged over ranks holding the same experts.</summary>
    public ExpertWeights Experts { get; }

    /// <summary>Routes and computes <paramref name="tokens"/> ([..., hidden]); the output has the same shape.</summary>
    public override MoeOutput forward(Tensor tokens)
    {
        var hidden = _options.HiddenSize;
        if (tokens.dim() < 1 || tokens.shape[^1] != hidden)
        {
            throw new ArgumentException($"MoE input must end in the hidden size {hidden}, got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        }

        var flat = tokens.reshape(-1, hidden);
        var tokenCount = flat.shape[0];
        var topK = _options.TopK;
        var routed = Router.forward(flat);
        var expertOfItem = routed.ExpertIndices.flatten().data<long>().ToArray();
        var tokenOfItem = new long[expertOfItem.Length];
        for (var item = 0; item < tokenOfItem.Length; item++)
        {
            tokenOfItem[item] = item / topK;
        }

        var (expertRows, layout) = _exchange is null
            ? ComputeLocal(flat, expertOfItem, tokenOfItem)
            : ComputeExpertParallel(flat, expertOfItem, tokenOfItem, _exchange);
        var combined = (expertRows.view(tokenCount, topK, hidden) * routed.GateWeights.unsqueeze(-1)).sum(1);
        var statistics = new MoeDispatchStatistics(
            CountPerExpert(expertOfItem, _options.ExpertCount), expertOfItem.LongLength, 0, 0, layout.TotalRows, layout.PaddingRows);
        var regularization = routed.AuxiliaryLoss * _options.AuxiliaryLossCoefficient + routed.ZLoss * _options.ZLossCoefficient;
        return new MoeOutput(combined.view(tokens.shape), routed.AuxiliaryLoss, routed.ZLoss, regularization, statistics);
    }

    /// <summary>All experts here: one gather into the padded grouped buffer, the products, one gather back per assignment.</summary>
    private (Tensor ExpertRows, ExpertLayout Layout) ComputeLocal(Tensor flat, long[] expertOfItem, long[] tokenOfItem)
    {
        var layout = ExpertLayout.Dropless(expertOfItem, tokenOfItem, flat.shape[0], _options.ExpertCount, _options.BlockSize,
            _strategy == GroupedProductStrategy.BatchedPaddedGroups);
        var buffer = GatherRowsOrZero(flat, layout.SourceRowOfBufferRow);
        var output = Experts.ApplyGrouped(buffer, layout.GroupRows, _strategy);
        return (output.index_select(0, AsIndex(layout.BufferRowOfItem, flat.device)), layout);
    }

    /// <summary>
    /// Experts sharded: sort assignments by expert (so each destination rank's rows are contiguous), exchange the
    /// per-expert counts, then the rows; regroup what arrived by local expert, compute, and send results back.
    /// </summary>
    private (Tensor ExpertRows, ExpertLayout Layout) ComputeExpertParallel(Tensor flat, long[] expertOfItem, long[] tokenOfItem, IExpertExchange exchange)
    {
        var ranks = exchange.Size;
        var local = _options.LocalExpertCount;
        var device = flat.device;

        // Block size 1 and no padding: a plain stable sort of the assignments by global expert.
        var sorted = ExpertLayout.Dropless(expertOfItem, tokenOfItem, flat.shape[0], _options.ExpertCount, 1, padToLargestGroup: false);
        var sendRowsPerExpert = sorted.ItemsPerExpert;
        long[] receivedPerSourceAndExpert;
        using (no_grad())
        {
            var ownCounts = tensor(sendRowsPerExpert, dtype: ScalarType.Int64);
            var evenSplit = Enumerable.Repeat((long)local, ranks).ToArray();
            receivedPerSourceAndExpert = exchange.AllToAll(ownCounts.view(-1, 1), evenSplit, evenSplit).flatten().data<long>().ToArray();
        }

        var sendRows = SumPerRank(sendRowsPerExpert, ranks, local);
        var receiveRows = SumPerRank(receivedPerSourceAndExpert, ranks, local);
        var outgoing = flat.index_select(0, AsIndex(sorted.SourceRowOfBufferRow, device));
        var received = ExpertAllToAll.Apply(outgoing, exchange, sendRows, receiveRows);

        // Arrivals are ordered by source rank, then local expert; label each row with its local expert and regroup.
        var localExpertOfRow = new long[receiveRows.Sum()];
        var row = 0;
        for (var source = 0; source < ranks; source++)
        {
            for (var expert = 0; expert < local; expert++)
            {
                for (var n = 0L; n < receivedPerSourceAndExpert[source * local + expert]; n++)
                {
                    localExpertOfRow[row++] = expert;
                }
            }
        }

        var identity = Enumerable.Range(0, localExpertOfRow.Length).Select(i => (long)i).ToArray();
        var layout = ExpertLayout.Dropless(localExpertOfRow, identity, localExpertOfRow.Length, local, _options.BlockSize,
            _strategy == GroupedProductStrategy.BatchedPaddedGroups);
        var buffer = GatherRowsOrZero(received, layout.SourceRowOfBufferRow);
        var computed = Experts.ApplyGrouped(buffer, layout.GroupRows, _strategy)
            .index_select(0, AsIndex(layout.BufferRowOfItem, device));
        var returned = ExpertAllToAll.Apply(computed, exchange, receiveRows, sendRows);
        return (returned.index_select(0, AsIndex(sorted.BufferRowOfItem, device)), layout);
    }

    internal static Tensor GatherRowsOrZero(Tensor source, long[] rows)
    {
        // Index source.shape[0] is the appended zero row that padding rows copy.
        var withZero = cat([source, zeros([1, source.shape[1]], dtype: source.dtype, device: source.device)], 0);
        return withZero.index_select(0, AsIndex(rows, source.device));
    }

    internal static Tensor AsIndex(long[] values, Device device) => tensor(values, dtype: ScalarType.Int64, device: device);

    internal static long[] CountPerExpert(long[] expertOfItem, int expertCount)
    {
        var counts = new long[expertCount];
        foreach (var expert in expertOfItem)
        {
            counts[expert]++;
        }

        return counts;
    }

    private static long[] SumPerRank(IReadOnlyList<long> perExpert, int ranks, int expertsPerRank)
    {
        var sums = new long[ranks];
        for (var i = 0; i < perExpert.Count; i++)
        {
            sums[i / expertsPerRank] += perExpert[i];
        }

        return sums;
    }

    private static MoeOptions RequireSingleRank(MoeOptions options)
    {
        if (options.Validate().ExpertParallelSize != 1)
        {
            throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.ExpertParallelSize)} is {options.ExpertParallelSize}; a layer without an expert-parallel group needs 1 (use {nameof(ExpertParallelMoe)} to build sharded layers).",
                nameof(options));
        }

        return options;
    }
}
