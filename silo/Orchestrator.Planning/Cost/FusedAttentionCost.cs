using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// The fused attention kernel (FlashAttention-style: one kernel forward reading Q, K and V and writing the output, one
/// backward that recomputes the scores, 2.5 times the forward FLOPs) of one layer for one micro-batch on one rank,
/// averaged over the model's layers: full causal layers and sliding-window layers are priced apart.
/// </summary>
/// <remarks>
/// Full layers count the pairs the causal mask keeps (the rank's b·s/c queries against s/2 keys on average), which is
/// how the measured causal rates count them, so the diagonal tiles the kernel computes whole are inside the measured
/// rate. Under context parallelism (Transformer Engine's load-balanced ring: every rank holds two chunks of s/2c) one
/// of the c ring steps is causal and the others compute every pair of their chunks: 1/c of the work runs at the causal
/// rate, the rest at the unmasked one, each step's kernel iterating over s/c keys. Sliding-window layers compute whole
/// key tiles: a query tile of <see cref="Tile"/> rows needs every key tile its window reaches, so a 128-token window
/// costs two 128 × 128 tiles per query tile, not the one tile's worth of pairs it keeps. Those tiles are priced at the
/// unmasked rate (the measurement counts all of an unmasked kernel's pairs) for a kernel iterating over as many keys
/// per query tile as the window touches.
/// </remarks>
internal sealed class FusedAttentionCost(TransformerModel model, DeviceKernels kernels)
{
    /// <summary>
    /// Query rows and key columns of one score tile: 128 × 128, FlashAttention-3's Hopper tile for head dimension 128
    /// under a window (<c>hopper/tile_size.h</c>). cuDNN, which Transformer Engine runs, does not publish its tiles;
    /// FlashAttention-3 itself uses 192 × 160 at head dimension 64 with a window, which would compute 436 keys per query
    /// for a 128-token window at s = 4096 instead of 252, and 128 × 96 or 128 × 64 above 128.
    /// </summary>
    public const int Tile = 128;

    private const double BackwardFactor = 2.5;

    private readonly WindowTiles _window = model.SlidingWindow is { } window && window < model.SequenceLength && model.WindowedLayers > 0
        ? CountWindowTiles(model.SequenceLength, window)
        : default;

    /// <summary>Forward and backward seconds for <paramref name="microBatch"/> sequences on one rank, averaged over the layers.</summary>
    public (double Forward, double Backward) Times(double microBatch, int tensor, int context)
    {
        double s = model.SequenceLength, c = context;
        var queries = microBatch * s / c;
        var width = (double)model.AttentionWidth / tensor;
        var traffic = 4.0 * TransformerModel.ElementBytes * queries * width;
        var windowedShare = _window.QueryTiles > 0 ? model.WindowedLayers / (double)model.Layers : 0;
        var full = new AttentionKernel(model.HeadSize, s / c, 1 / c);
        var fullFlops = 4 * queries * (s / 2) * width;
        var windowed = new AttentionKernel(model.HeadSize, _window.KeysPerQueryTile, CausalShare: 0);
        var windowedFlops = 4 * queries * _window.KeysPerQuery * width;

        double Pass(bool backward)
        {
            var factor = backward ? BackwardFactor : 1;
            var fullTime = kernels.FusedAttention(factor * fullFlops, factor * traffic, full, backward);
            var windowedTime = windowedShare > 0 ? kernels.FusedAttention(factor * windowedFlops, factor * traffic, windowed, backward) : 0;
            return (1 - windowedShare) * fullTime + windowedShare * windowedTime;
        }

        return (Pass(backward: false), Pass(backward: true));
    }

    /// <summary>
    /// The score tiles a causal sliding window of <paramref name="window"/> tokens makes the kernel compute over a
    /// sequence of <paramref name="sequence"/> tokens: query tile i (rows iT … iT + T − 1) reaches back to key iT − w + 1
    /// and forward to its own last row, and every key tile between is computed whole.
    /// </summary>
    internal static WindowTiles CountWindowTiles(int sequence, int window)
    {
        var queryTiles = (sequence + Tile - 1) / Tile;
        double pairs = 0, tiles = 0;
        for (var i = 0; i < queryTiles; i++)
        {
            var rows = Math.Min(Tile, sequence - i * Tile);
            var firstKey = Math.Max(0, i * Tile - window + 1);
            var lastKey = Math.Min(sequence - 1, i * Tile + Tile - 1);
            for (var j = firstKey / Tile; j <= lastKey / Tile; j++)
            {
                pairs += (double)rows * Math.Min(Tile, sequence - j * Tile);
                tiles++;
            }
        }

        return new WindowTiles(queryTiles, pairs / sequence, tiles / queryTiles * Tile);
    }

    /// <summary>What a window makes the kernel compute: keys per query (tiles counted whole) and keys each query tile iterates over.</summary>
    internal readonly record struct WindowTiles(int QueryTiles, double KeysPerQuery, double KeysPerQueryTile);
}
