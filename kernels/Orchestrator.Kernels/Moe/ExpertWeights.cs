using Orchestrator.Kernels.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// The feed-forward weights of the experts one rank holds: expert e computes gelu(x @ Input[e]) @ Output[e].
/// No biases (as in MegaBlocks), so a zero padding row stays zero through the product.
/// </summary>
public sealed class ExpertWeights : nn.Module
{
    /// <summary>Creates <paramref name="localExperts"/> experts with weights drawn N(0, 0.02) from <paramref name="generator"/>.</summary>
    public ExpertWeights(int localExperts, int hiddenSize, int ffnHiddenSize, Generator? generator = null)
        : this(
            InitialWeight(localExperts, hiddenSize, ffnHiddenSize, generator),
            InitialWeight(localExperts, ffnHiddenSize, hiddenSize, generator))
    {
    }

    /// <summary>Wraps copies of existing weights ([experts, hidden, ffn] and [experts, ffn, hidden]), e.g. one rank's shard.</summary>
    public ExpertWeights(Tensor input, Tensor output) : this(new Parameter(input.detach().clone()), new Parameter(output.detach().clone()))
    {
    }

    private ExpertWeights(Parameter input, Parameter output) : base(nameof(ExpertWeights))
    {
        if (input.dim() != 3 || output.dim() != 3 || input.shape[0] != output.shape[0]
            || input.shape[1] != output.shape[2] || input.shape[2] != output.shape[1])
        {
            throw new ArgumentException(
                $"Expert weights must be [experts, hidden, ffn] and [experts, ffn, hidden]; got [{string.Join(", ", input.shape)}] and [{string.Join(", ", output.shape)}].");
        }

        Input = input;
        Output = output;
        RegisterComponents();
    }

    /// <summary>Experts over <paramref name="input"/> and <paramref name="output"/> themselves (not copies), for a model that registers them.</summary>
    internal static ExpertWeights Adopting(Parameter input, Parameter output) => new(input, output);

    /// <summary>[localExperts, hidden, ffn].</summary>
    public Parameter Input { get; }

    /// <summary>[localExperts, ffn, hidden].</summary>
    public Parameter Output { get; }

    /// <summary>Experts held here.</summary>
    public long Count => Input.shape[0];

    private static Tensor InitialWeight(int experts, int rows, int columns, Generator? generator)
    {
        if (experts <= 0 || rows <= 0 || columns <= 0)
        {
            throw new ArgumentException($"Expert weights need positive experts, rows and columns; got {experts}, {rows}, {columns}.");
        }

        TorchRuntime.EnsureLoaded();
        return normal(0.0, 0.02, [experts, rows, columns], generator: generator);
    }

    /// <summary>
    /// Runs every expert on its contiguous group of <paramref name="rows"/>; <paramref name="groupRows"/>[e] rows each
    /// (all equal for <see cref="GroupedProductStrategy.BatchedPaddedGroups"/>).
    /// </summary>
    internal Tensor ApplyGrouped(Tensor rows, long[] groupRows, GroupedProductStrategy strategy)
    {
        if (strategy == GroupedProductStrategy.BatchedPaddedGroups)
        {
            // The layout padded every group to the same length, so the buffer is [experts, rows, hidden].
            return ApplyBatched(rows, groupRows.Length == 0 ? 0 : groupRows[0]);
        }

        // One output buffer per product and one GELU over all groups. A rank that received no rows still gets a
        // (zero-row) result in the autograd graph, so with expert parallelism it joins the backward all-to-all.
        return GroupedMatmul.Apply(nn.functional.gelu(GroupedMatmul.Apply(rows, Input, groupRows)), Output, groupRows);
    }

    /// <summary>One batched product over [experts * rowsPerExpert, hidden] rows, grouped evenly.</summary>
    internal Tensor ApplyBatched(Tensor rows, long rowsPerExpert)
    {
        var hidden = rows.shape[1];
        var grouped = rows.view(Count, rowsPerExpert, hidden);
        return nn.functional.gelu(grouped.bmm(Input)).bmm(Output).view(Count * rowsPerExpert, hidden);
    }
}
