using static TorchSharp.torch;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// The two row movements around the expert products: one gather from token order into the grouped buffer, and one
/// gated scatter-add from the buffer back to token order that also combines each token's top-k outputs. Their
/// backward passes are autograd's: an index-add and a gather.
/// </summary>
internal static class TokenPermutation
{
    /// <summary>
    /// Rows <paramref name="rows"/> of <paramref name="source"/> [n, hidden]; an index equal to n stands for a zero
    /// row (padding). Without padding indices this is a single gather.
    /// </summary>
    public static Tensor Gather(Tensor source, long[] rows)
    {
        var zeroRow = source.shape[0];
        if (!rows.Contains(zeroRow))
        {
            return source.index_select(0, AsIndex(rows, source.device));
        }

        var withZero = cat([source, zeros([1, source.shape[1]], dtype: source.dtype, device: source.device)], 0);
        return withZero.index_select(0, AsIndex(rows, source.device));
    }

    /// <summary>
    /// Output [tokens, hidden] where token t receives <c>gates[t, j] * rows[r]</c> for every row r holding its item
    /// t * k + j (<paramref name="itemOfRow"/>[r]); rows marked -1 (padding) contribute nothing, and an item no row
    /// holds (dropped by a capacity rule) contributes nothing either.
    /// </summary>
    /// <param name="rows">Expert outputs [rows, hidden], in any order.</param>
    /// <param name="itemOfRow">For each row, the item (token * k + choice) it holds, or -1.</param>
    /// <param name="gates">Gate weights [tokens, k].</param>
    public static Tensor Combine(Tensor rows, long[] itemOfRow, Tensor gates)
    {
        if (itemOfRow.LongLength != rows.shape[0] || gates.dim() != 2)
        {
            throw new ArgumentException(
                $"Combine needs one item per row ({rows.shape[0]} rows, {itemOfRow.Length} items) and gates [tokens, k], got [{string.Join(", ", gates.shape)}].");
        }

        var tokenCount = gates.shape[0];
        var topK = gates.shape[1];
        var itemCount = tokenCount * topK;
        var gateOfRow = new long[itemOfRow.Length];
        var tokenOfRow = new long[itemOfRow.Length];
        for (var row = 0; row < itemOfRow.Length; row++)
        {
            var item = itemOfRow[row];
            // A padding row reads the appended zero gate and adds its (zero) product to token 0.
            gateOfRow[row] = item < 0 ? itemCount : item;
            tokenOfRow[row] = item < 0 ? 0 : item / topK;
        }

        var device = rows.device;
        var gateValues = cat([gates.reshape(-1), zeros([1], dtype: gates.dtype, device: device)], 0).index_select(0, AsIndex(gateOfRow, device));
        return zeros([tokenCount, rows.shape[1]], dtype: rows.dtype, device: device)
            .index_add_(0, AsIndex(tokenOfRow, device), rows * gateValues.unsqueeze(1), 1);
    }

    /// <summary>An int64 index tensor on <paramref name="device"/>.</summary>
    public static Tensor AsIndex(long[] values, Device device) => tensor(values, dtype: ScalarType.Int64, device: device);
}
