using System.Numerics;

namespace Orchestrator.Evaluation.Heim;

/// <summary>
/// HEIM's fractal dimension of an image (fractal_dimension_util.py, box counting after Minkowski–Bouligand): the grey
/// image scaled to [0, 1] is thresholded (pixels below 0.2 are set), boxes of sizes 2ⁿ down to 4 (2ⁿ the largest power
/// of two within the shorter side) are counted when neither empty nor full (partial boxes at the edges compare their
/// sum with k² as numpy's reduceat does), and the dimension is minus the least-squares slope of log(count) on log(size).
/// </summary>
internal static class FractalDimension
{
    private const double Threshold = 0.2;

    /// <summary>The dimension, or null where HEIM gets NaN (a size with no counted box, or an image under 8 pixels).</summary>
    public static double? Of(ImagePixels image)
    {
        var set = new bool[image.Height, image.Width];
        for (var row = 0; row < image.Height; row++)
        {
            for (var column = 0; column < image.Width; column++)
            {
                set[row, column] = image.Grey(row, column) / 255.0 < Threshold;
            }
        }

        var exponent = BitOperations.Log2((uint)Math.Min(image.Width, image.Height));
        var sizes = Enumerable.Range(2, Math.Max(0, exponent - 1)).Reverse().Select(e => 1 << e).ToList();
        if (sizes.Count < 2)
        {
            return null;
        }

        var counts = sizes.Select(size => BoxCount(set, size)).ToList();
        if (counts.Any(c => c == 0))
        {
            return null;
        }

        var x = sizes.Select(s => Math.Log(s)).ToList();
        var y = counts.Select(c => Math.Log(c)).ToList();
        double meanX = x.Average(), meanY = y.Average();
        var slope = x.Zip(y, (a, b) => (a - meanX) * (b - meanY)).Sum() / x.Sum(a => (a - meanX) * (a - meanX));
        return -slope;
    }

    private static int BoxCount(bool[,] set, int size)
    {
        var count = 0;
        for (var top = 0; top < set.GetLength(0); top += size)
        {
            for (var left = 0; left < set.GetLength(1); left += size)
            {
                var sum = 0;
                for (var row = top; row < Math.Min(top + size, set.GetLength(0)); row++)
                {
                    for (var column = left; column < Math.Min(left + size, set.GetLength(1)); column++)
                    {
                        sum += set[row, column] ? 1 : 0;
                    }
                }

                if (sum > 0 && sum < size * size)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
