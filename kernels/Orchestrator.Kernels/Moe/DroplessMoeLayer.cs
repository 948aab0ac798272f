using Orchestrator.Kernels.Communication;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Regions = Orchestrator.Kernels.Parallel.TensorParallelRegions;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Dropless Mixture-of-Experts (MegaBlocks-style): every token reaches all of its top-k experts. Assignments are
/// permuted by expert (stable, one gather), the expert FFNs run as grouped products over the per-expert groups (exact
/// by default; block-padded or batched by <see cref="GroupedProductStrategy"/>), and one gated scatter-add
/// un-permutes the results and combines each token's top-k outputs with its gate weights.
/// </summary>
/// <remarks>
/// Parallel composition, as in Megatron-LM: experts are sharded over the expert-parallel group (drawn from the
/// data-parallel ranks) and assignments reach their expert by an all-to-all of uneven counts. Under tensor parallelism
/// without sequence parallelism the tensor ranks hold the same tokens: all route them all (identical routing, aux loss
/// and router gradient), then each dispatches only its 1/t share of the tokens and the outputs are all-gathered. So
/// the expert gradients must be summed over the tensor group and averaged over the expert-data group; the router's
/// over the data group (and summed over the tensor group under sequence parallelism, where tokens differ per rank).
/// </remarks>
public sealed class DroplessMoeLayer : nn.Module<Tensor, MoeOutput>
{
    private readonly MoeOptions _options;
    private readonly ICommunicator? _expertGroup;
    private readonly ICommunicator? _tensorGroup;
    private readonly GroupedProductStrategy _strategy;

    /// <summary>A layer holding all experts (ExpertParallelSize must be 1); weights drawn from <paramref name="generator"/>.</summary>
    public DroplessMoeLayer(MoeOptions options, Generator? generator = null, GroupedProductStrategy strategy = GroupedProductStrategy.ExactGroups)
        : this(RequireSingleRank(options), new TopKRouter(options, generator),
            new ExpertWeights(options.ExpertCount, options.HiddenSize, options.FfnHiddenSize, generator), null, null, strategy)
    {
    }

    /// <summary>
    /// This rank's layer in a parallel grid: the full layer is drawn from <paramref name="seed"/> (the same on every rank),
    /// and this rank keeps the router and its expert-parallel slice of the experts.
    /// </summary>
    /// <param name="options">Layer shape; ExpertParallelSize must equal the grid's.</param>
    /// <param name="groups">This rank's process groups; the expert and tensor groups are used.</param>
    /// <param name="seed">Initialisation seed, the same on every rank.</param>
    /// <param name="sequenceParallel">True when the tensor ranks already hold different tokens (sequence parallelism).</param>
    /// <param name="strategy">How the grouped products run.</param>
    public static DroplessMoeLayer ForRank(
        MoeOptions options, ProcessGroups groups, long seed, bool sequenceParallel = false,
        GroupedProductStrategy strategy = GroupedProductStrategy.ExactGroups)
    {
        var (router, input, output) = ExpertParallelMoe.InitialWeights(options.Validate(), seed);
        return ExpertParallelMoe.Shard(router, input, output, options, groups, sequenceParallel, strategy);
    }

    /// <summary>
    /// A layer over parameters a model already registered under its own names (this rank's router and expert slice),
    /// with this rank's groups: <paramref name="expertGroup"/> null for one expert rank, <paramref name="tensorGroup"/>
    /// null when the tensor ranks hold different tokens (sequence parallelism) or there is one.
    /// </summary>
    internal static DroplessMoeLayer Adopting(
        MoeOptions options, Parameter router, Parameter expertInput, Parameter expertOutput, ICommunicator? expertGroup, ICommunicator? tensorGroup) =>
        new(options, TopKRouter.Adopting(options, router), ExpertWeights.Adopting(expertInput, expertOutput),
            expertGroup is { Size: > 1 } ? expertGroup : null, tensorGroup, GroupedProductStrategy.ExactGroups);

    /// <summary>One rank's layer: <paramref name="experts"/> holds experts [rank * local, (rank + 1) * local).</summary>
    internal DroplessMoeLayer(
        MoeOptions options, TopKRouter router, ExpertWeights experts, ICommunicator? expertGroup, ICommunicator? tensorGroup,
        GroupedProductStrategy strategy)
        : base(nameof(DroplessMoeLayer))
    {
        _options = options.Validate();
        if (options.CapacityFactor is not null)
        {
            throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.CapacityFactor)} must be null for the dropless layer, got {options.CapacityFactor}; use {nameof(CapacityFactorMoeLayer)} for the capacity baseline.",
                nameof(options));
        }

        var groupSize = expertGroup?.Size ?? 1;
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

        _expertGroup = expertGroup;
        _tensorGroup = tensorGroup is { Size: > 1 } ? tensorGroup : null;
        _strategy = strategy;
        Router = router;
        Experts = experts;
        RegisterComponents();
    }

    /// <summary>The gate; replicated on every rank.</summary>
    public TopKRouter Router { get; }

    /// <summary>The experts this rank holds.</summary>
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
        var topK = _options.TopK;
        var routed = Router.forward(flat);
        var localTokens = flat;
        var localGates = routed.GateWeights;
        var localIndices = routed.ExpertIndices;
        if (_tensorGroup is not null)
        {
            // The tensor ranks hold the same tokens; each dispatches its share. Scattering the gates too makes their
            // backward an all-gather, so every tensor rank sees the router's full, identical gradient.
            var size = _tensorGroup.Size;
            if (flat.shape[0] % size != 0)
            {
                throw new ArgumentException(
                    $"MoE input has {flat.shape[0]} tokens, which do not split evenly over the {size} tensor-parallel ranks.", nameof(tokens));
            }

            localTokens = Regions.ScatterTo(flat, _tensorGroup, 0);
            localGates = Regions.ScatterTo(routed.GateWeights, _tensorGroup, 0);
            var share = flat.shape[0] / size;
            localIndices = routed.ExpertIndices.narrow(0, _tensorGroup.Rank * share, share);
        }

        var expertOfItem = localIndices.flatten().data<long>().ToArray();
        var tokenOfItem = new long[expertOfItem.Length];
        for (var item = 0; item < tokenOfItem.Length; item++)
        {
            tokenOfItem[item] = item / topK;
        }

        var (expertRows, itemOfRow, layout) = _expertGroup is null
            ? ComputeLocal(localTokens, expertOfItem, tokenOfItem)
            : ExpertParallelDispatch.Compute(localTokens, expertOfItem, tokenOfItem, _options, Experts, _expertGroup, _strategy);
        var combined = TokenPermutation.Combine(expertRows, itemOfRow, localGates);
        if (_tensorGroup is not null)
        {
            combined = Regions.GatherFrom(combined, _tensorGroup, 0);
        }

        var statistics = new MoeDispatchStatistics(
            CountPerExpert(expertOfItem, _options.ExpertCount), expertOfItem.LongLength, 0, 0, layout.TotalRows, layout.PaddingRows);
        var regularization = routed.AuxiliaryLoss * _options.AuxiliaryLossCoefficient + routed.ZLoss * _options.ZLossCoefficient;
        return new MoeOutput(combined.view(tokens.shape), routed.AuxiliaryLoss, routed.ZLoss, regularization, statistics);
    }

    /// <summary>
    /// The layer's output with its regularisation loss joined to the output's backward (see <see cref="MoeAuxiliaryLoss"/>):
    /// what a model block uses, so the load-balancing gradient needs no path to the model's loss.
    /// </summary>
    internal Tensor ForwardWithAuxiliaryLoss(Tensor tokens)
    {
        var result = forward(tokens);
        return MoeAuxiliaryLoss.Attach(result.Output, result.RegularizationLoss);
    }

    /// <summary>All experts here: one gather into the grouped buffer, the grouped products; rows stay in buffer order.</summary>
    private (Tensor ExpertRows, long[] ItemOfRow, ExpertLayout Layout) ComputeLocal(Tensor flat, long[] expertOfItem, long[] tokenOfItem)
    {
        var layout = ExpertLayout.Dropless(expertOfItem, tokenOfItem, flat.shape[0], _options.ExpertCount, _options.BlockSize, _strategy);
        var buffer = TokenPermutation.Gather(flat, layout.SourceRowOfBufferRow);
        return (Experts.ApplyGrouped(buffer, layout.GroupRows, _strategy), layout.ItemOfBufferRow(), layout);
    }

    internal static long[] CountPerExpert(long[] expertOfItem, int expertCount)
    {
        var counts = new long[expertCount];
        foreach (var expert in expertOfItem)
        {
            counts[expert]++;
        }

        return counts;
    }

    private static MoeOptions RequireSingleRank(MoeOptions options)
    {
        if (options.Validate().ExpertParallelSize != 1)
        {
            throw new ArgumentException(
                $"MoE option {nameof(MoeOptions.ExpertParallelSize)} is {options.ExpertParallelSize}; a layer without process groups needs 1 (use {nameof(ForRank)} with the grid's groups).",
                nameof(options));
        }

        return options;
    }
}
