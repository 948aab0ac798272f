using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// Grouped matrix product as one autograd function (the CPU counterpart of a grouped GEMM): rows
/// [offset_e, offset_e + n_e) of the input are multiplied by weight e, for every expert e. Each group's product is
/// written straight into its slice of one output buffer (<c>addmm_</c> with beta 0 on a row slice), and the backward
/// likewise fills one input-gradient buffer and one [experts, in, out] weight-gradient buffer. So a layer step allocates
/// a handful of large buffers instead of a few tensors per expert, and no concatenation, stacking or per-expert
/// zero-filled gradient is ever materialised.
/// </summary>
internal sealed class GroupedMatmul : autograd.SingleTensorFunction<GroupedMatmul>
{
    private const string GroupRowsKey = "groupRows";

    public override string Name => nameof(GroupedMatmul);

    /// <summary>
    /// <paramref name="rows"/> [sum(groupRows), in] times <paramref name="weights"/> [experts, in, out], group by group;
    /// returns [sum(groupRows), out]. <paramref name="groupRows"/> has one entry per expert (0 for an empty expert).
    /// </summary>
    public static Tensor Apply(Tensor rows, Tensor weights, long[] groupRows)
    {
        if (rows.dim() != 2 || weights.dim() != 3 || rows.shape[1] != weights.shape[1])
        {
            throw new ArgumentException(
                $"Grouped product needs rows [n, in] and weights [experts, in, out]; got [{string.Join(", ", rows.shape)}] and [{string.Join(", ", weights.shape)}].");
        }

        if (groupRows.Length != weights.shape[0] || groupRows.Any(n => n < 0) || groupRows.Sum() != rows.shape[0])
        {
            throw new ArgumentException(
                $"Grouped product: group sizes [{string.Join(", ", groupRows)}] must be {weights.shape[0]} non-negative counts summing to the {rows.shape[0]} rows.",
                nameof(groupRows));
        }

        return apply(rows, weights, groupRows);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var rows = ((Tensor)vars[0]).contiguous();
        var weights = (Tensor)vars[1];
        var groupRows = (long[])vars[2];
        ctx.save_for_backward([rows, weights]);
        ctx.save_data(GroupRowsKey, groupRows);
        using var scope = NewDisposeScope();
        var output = empty([rows.shape[0], weights.shape[2]], dtype: rows.dtype, device: rows.device);
        ForEachGroup(groupRows, (expert, start, count) =>
            output.narrow(0, start, count).addmm_(rows.narrow(0, start, count), weights[expert], beta: 0, alpha: 1));
        return output.MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (rows, weights) = (saved[0], saved[1]);
        var groupRows = (long[])ctx.get_data(GroupRowsKey);
        using var scope = NewDisposeScope();
        var gradient = grad_output.contiguous();
        var rowsGradient = empty_like(rows);
        var weightsGradient = empty_like(weights);
        for (var expert = 0; expert < groupRows.Length; expert++)
        {
            if (groupRows[expert] == 0)
            {
                // Only experts that received nothing are zero-filled: the others are overwritten below.
                weightsGradient[expert].zero_();
            }
        }

        ForEachGroup(groupRows, (expert, start, count) =>
        {
            var groupGradient = gradient.narrow(0, start, count);
            rowsGradient.narrow(0, start, count).addmm_(groupGradient, weights[expert].t(), beta: 0, alpha: 1);
            weightsGradient[expert].addmm_(rows.narrow(0, start, count).t(), groupGradient, beta: 0, alpha: 1);
        });
        return [rowsGradient.MoveToOuterDisposeScope(), weightsGradient.MoveToOuterDisposeScope(), null!];
    }

    private static void ForEachGroup(long[] groupRows, Action<int, long, long> product)
    {
        var start = 0L;
        for (var expert = 0; expert < groupRows.Length; expert++)
        {
            if (groupRows[expert] > 0)
            {
                product(expert, start, groupRows[expert]);
                start += groupRows[expert];
            }
        }
    }
}
