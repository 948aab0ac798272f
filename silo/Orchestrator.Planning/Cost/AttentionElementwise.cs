using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Bytes the memory-bound kernels around the attention core move for one micro-batch on one rank (16-bit elements;
/// nothing here is fitted: each count is what the kernel reads and writes, priced at HBM bandwidth by
/// <see cref="DeviceKernels.Stream"/>).
/// </summary>
internal static class AttentionElementwise
{
    /// <summary>
    /// Rotary embeddings (Megatron's fused RoPE kernel, <c>apply_rope_fusion</c>): forward reads and writes the rank's
    /// queries and keys once (2 + 2 bytes per element); backward does the same to their gradients. Keys are the rank's
    /// key/value heads: groups/t of them, or one where the tensor group is wider than the groups (Megatron replicates
    /// them). Zero for learned absolute positions, added once at the input (priced with the embedding).
    /// </summary>
    public static double RotaryBytes(TransformerModel model, double tokens, int tensor)
    {
        if (!model.RotaryEmbeddings) return 0;
        var queryWidth = (double)model.AttentionWidth / tensor;
        var keyWidth = Math.Max(1.0, model.KeyValueGroups / (double)tensor) * model.HeadSize;
        return 2.0 * TransformerModel.ElementBytes * tokens * (queryWidth + keyWidth);
    }

    /// <summary>
    /// Ring attention's bookkeeping over a context group of <paramref name="context"/> ranks (Transformer Engine's
    /// point-to-point context parallelism). Forward: each of the c − 1 ring steps after the first yields a partial
    /// output that is merged into the running one with the log-sum-exp rescaling: read both partial outputs, write the
    /// merged one (3 × 2 bytes per element of the rank's attention output). Backward: each of those steps yields partial
    /// gradients of the queries and of the keys and values passed along the ring, accumulated the same way (3 × 2 bytes
    /// per element of dQ and of dK and dV).
    /// </summary>
    public static double RingMergeBytes(TransformerModel model, double tokens, int tensor, int context, bool backward)
    {
        if (context <= 1) return 0;
        const double readTwoWriteOne = 3.0 * TransformerModel.ElementBytes;
        var queryWidth = (double)model.AttentionWidth / tensor;
        var keyValueWidth = 2 * Math.Max(1.0, model.KeyValueGroups / (double)tensor) * model.HeadSize;
        var perStep = readTwoWriteOne * tokens * (backward ? queryWidth + keyValueWidth : queryWidth);
        return (context - 1) * perStep;
    }
}
