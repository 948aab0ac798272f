using static TorchSharp.torch;

namespace Orchestrator.Kernels.Model;

/// <summary>Causal scaled dot-product attention on [batch, heads, sequence, headSize] tensors.</summary>
internal static class AttentionCore
{
    /// <remarks>
    /// The queries may be the last positions of the keys' sequence (decoding with a key/value cache): query i sits at
    /// key position keys − queries + i and sees the keys up to it.
    /// </remarks>
    public static Tensor Compute(Tensor query, Tensor key, Tensor value)
    {
        var queries = query.shape[2];
        var keys = key.shape[2];
        using var scores = query.matmul(key.transpose(-2, -1)).div_(Math.Sqrt(query.shape[3]));
        using var future = ones(queries, keys, ScalarType.Bool, query.device).triu_(keys - queries + 1);
        using var masked = scores.masked_fill(future, float.NegativeInfinity);
        using var probabilities = masked.softmax(-1);
        return probabilities.matmul(value);
    }

    /// <summary>Splits a head-major fused projection [batch, seq, heads·3·headSize] into q, k, v of [batch, heads, seq, headSize].</summary>
    public static (Tensor Query, Tensor Key, Tensor Value) SplitHeads(Tensor fused, long heads, long headSize)
    {
        var batch = fused.shape[0];
        var sequence = fused.shape[1];
        using var grouped = fused.view(batch, sequence, heads, 3, headSize);
        return (
            grouped.select(3, 0).transpose(1, 2),
            grouped.select(3, 1).transpose(1, 2),
            grouped.select(3, 2).transpose(1, 2));
    }

    /// <summary>[batch, heads, seq, headSize] back to [batch, seq, heads·headSize].</summary>
    public static Tensor MergeHeads(Tensor context)
    {
        var batch = context.shape[0];
        var sequence = context.shape[2];
        return context.transpose(1, 2).reshape(batch, sequence, context.shape[1] * context.shape[3]);
    }
}
