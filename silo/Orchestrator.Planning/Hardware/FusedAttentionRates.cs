using Orchestrator.Planning.Model;
using Orchestrator.Planning.Tables;

namespace Orchestrator.Planning.Hardware;

/// <summary>
/// One measurement of a fused 16-bit attention kernel (<c>Hardware/fused-attention.csv</c>, embedded; its source is in
/// the file's comments): TFLOP/s by pass, causal mask, head dimension and sequence length, FLOPs counted as the
/// measurement counts them (the pairs the mask keeps, backward 2.5 times the forward). Between and beyond the measured
/// points the rate follows simple stated rules, not a fit:
/// <list type="bullet">
/// <item>sequence length: linear in log₂ of the length between the two nearest measured lengths; outside the measured
/// range, the nearest end (the rates level off by 8–16K; below 512 this is optimistic);</item>
/// <item>head dimension: linear in log₂ of the head dimension between the two nearest measured sizes; below the smallest,
/// the smallest size's time for the same pairs (FlashAttention-3 pads a head to its smallest kernel, 64), i.e. the rate
/// scaled by d/d_min; above the pass's largest measured size (backward above 128), the largest size's rate times the
/// forward pass's ratio between the two sizes at the same length and mask;</item>
/// <item>a pass measured only without the causal mask (backward): the unmasked rate times the forward pass's
/// causal-to-unmasked ratio at the same head dimension and length.</item>
/// </list>
/// </summary>
internal sealed class FusedAttentionRates
{
    private static readonly Dictionary<string, FusedAttentionRates> Measurements = Load();

    private readonly string _name;
    private readonly Dictionary<(bool Backward, bool Causal), Curve[]> _curves;

    private FusedAttentionRates(string name, Dictionary<(bool Backward, bool Causal), Curve[]> curves)
    {
        _name = name;
        _curves = curves;
    }

    /// <summary>The measurement of that name.</summary>
    /// <exception cref="KeyNotFoundException">No such measurement; the message lists the known ones.</exception>
    public static FusedAttentionRates For(string measurement) =>
        Measurements.TryGetValue(measurement, out var rates)
            ? rates
            : throw new KeyNotFoundException(
                $"fused-attention.csv has no measurement '{measurement}'; known: {string.Join(", ", Measurements.Keys.Order(StringComparer.Ordinal))}");

    /// <summary>TFLOP/s of one pass of the kernel at <paramref name="headDimension"/> over keys of <paramref name="sequence"/> tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The head dimension is below 1 or above what fused kernels support.</exception>
    public double Tflops(bool backward, bool causal, int headDimension, double sequence)
    {
        if (headDimension < 1 || headDimension > TransformerModel.MaxFusedAttentionHeadDimension)
            throw new ArgumentOutOfRangeException(nameof(headDimension), headDimension,
                $"model.headDimension must be between 1 and {TransformerModel.MaxFusedAttentionHeadDimension} for the fused attention kernel ({_name})");
        if (!_curves.TryGetValue((backward, causal), out var curves))
        {
            // Only the unmasked kernel was measured for this pass: carry the forward pass's causal-to-unmasked ratio over.
            return Tflops(backward, causal: false, headDimension, sequence) *
                   Tflops(backward: false, causal: true, headDimension, sequence) / Tflops(backward: false, causal: false, headDimension, sequence);
        }

        var smallest = curves[0];
        if (headDimension <= smallest.HeadDimension) return smallest.At(sequence) * headDimension / smallest.HeadDimension;
        var largest = curves[^1];
        if (headDimension >= largest.HeadDimension)
        {
            if (headDimension == largest.HeadDimension || !backward) return largest.At(sequence);
            return largest.At(sequence) *
                   Tflops(backward: false, causal, headDimension, sequence) / Tflops(backward: false, causal, largest.HeadDimension, sequence);
        }

        var above = Array.FindIndex(curves, c => c.HeadDimension >= headDimension);
        var (lower, upper) = (curves[above - 1], curves[above]);
        return LogLinear(headDimension, (lower.HeadDimension, lower.At(sequence)), (upper.HeadDimension, upper.At(sequence)));
    }

    /// <summary>The rate at <paramref name="x"/> on the straight line through two measured points, in log₂ of x.</summary>
    private static double LogLinear(double x, (double X, double Tflops) lower, (double X, double Tflops) upper) =>
        lower.Tflops + Math.Log2(x / lower.X) / Math.Log2(upper.X / lower.X) * (upper.Tflops - lower.Tflops);

    private static Dictionary<string, FusedAttentionRates> Load()
    {
        var table = EmbeddedCsv.Load("Hardware.fused-attention.csv");
        var measurements = new Dictionary<string, FusedAttentionRates>(StringComparer.Ordinal);
        foreach (var byName in table.Rows.GroupBy(r => r.Text("measurement"), StringComparer.Ordinal))
        {
            var curves = byName
                .GroupBy(r => (Backward: Pass(r), Causal: bool.Parse(r.Text("causal"))))
                .ToDictionary(
                    series => series.Key,
                    series => series.GroupBy(r => r.Int("head_dim"))
                        .OrderBy(h => h.Key)
                        .Select(h => new Curve(h.Key, [.. h.Select(r => (r.Number("sequence"), r.Number("tflops"))).OrderBy(p => p.Item1)]))
                        .ToArray());
            // The rules above need the forward pass with and without the mask and each pass without it.
            foreach (var needed in new[] { (false, false), (false, true), (true, false) })
            {
                if (!curves.ContainsKey(needed))
                    throw new InvalidOperationException($"fused-attention.csv: measurement '{byName.Key}' has no {(needed.Item1 ? "bwd" : "fwd")} rows with causal {needed.Item2.ToString().ToLowerInvariant()}");
            }

            measurements[byName.Key] = new FusedAttentionRates(byName.Key, curves);
        }

        return measurements;
    }

    private static bool Pass(CsvRow row) => row.Text("pass") switch
    {
        "fwd" => false,
        "bwd" => true,
        var other => throw new InvalidOperationException($"fused-attention.csv: pass must be fwd or bwd, got '{other}'"),
    };

    /// <summary>One head dimension's measured rates, by sequence length (ascending).</summary>
    private sealed record Curve(int HeadDimension, (double Sequence, double Tflops)[] Points)
    {
        public double At(double sequence)
        {
            if (sequence <= Points[0].Sequence) return Points[0].Tflops;
            if (sequence >= Points[^1].Sequence) return Points[^1].Tflops;
            var above = Array.FindIndex(Points, p => p.Sequence >= sequence);
            return LogLinear(sequence, Points[above - 1], Points[above]);
        }
    }
}
