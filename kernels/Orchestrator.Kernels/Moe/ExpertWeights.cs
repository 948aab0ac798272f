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

    /// <summary>Runs expert <paramref name="expert"/> on <paramref name="rows"/> [n, hidden].</summary>
    internal Tensor Apply(long expert, Tensor rows) => nn.functional.gelu(rows.matmul(Input[expert])).matmul(Output[expert]);

    /// <summary>Runs every expert on its contiguous group of <paramref name="rows"/>; <paramref name="groupRows"/>[e] rows each.</summary>
    internal Tensor ApplyGrouped(Tensor rows, IReadOnlyList<long> groupRows, GroupedProductStrategy strategy)
    {
        if (rows.shape[0] == 0)
        {
            // Still a product (of zero rows), so the result stays in the autograd graph: with expert parallelism a rank
            // that received nothing must still join the backward all-to-all.
            return Apply(0, rows);
        }

        if (strategy == GroupedProductStrategy.BatchedPaddedGroups)
        {
            // The layout padded every group to the same length, so the buffer is [experts, rows, hidden].
            return ApplyBatched(rows, groupRows[0]);
        }

        // split and unbind, not narrow and index: their backward is one cat/stack, where a narrow or a select per
        // expert would each materialise a full-size zero gradient of the rows or of all the weights.
        var groups = rows.split(groupRows.ToArray(), 0);
        var inputs = Input.unbind(0);
        var outputs = Output.unbind(0);
        var results = new List<Tensor>(groups.Length);
        for (var expert = 0; expert < groups.Length; expert++)
        {
            if (groupRows[expert] > 0)
            {
                results.Add(nn.functional.gelu(groups[expert].matmul(inputs[expert])).matmul(outputs[expert]));
            }
        }

        return results.Count == 1 ? results[0] : cat(results, 0);
    }

    /// <summary>One batched product over [experts * rowsPerExpert, hidden] rows, grouped evenly.</summary>
    internal Tensor ApplyBatched(Tensor rows, long rowsPerExpert)
    {
        var hidden = rows.shape[1];
        var grouped = rows.view(Count, rowsPerExpert, hidden);
        return nn.functional.gelu(grouped.bmm(Input)).bmm(Output).view(Count * rowsPerExpert, hidden);
    }
}
