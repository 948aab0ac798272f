namespace Orchestrator.Planning.Calibration;

/// <summary>
/// Nelder–Mead simplex minimisation inside a box: the search runs on coordinates scaled to [0, 1] and every
/// trial point is clamped to the box. Written here because the fit has five parameters and an objective that is
/// itself a layout search (no gradient); a numerics package would bring a large dependency for thirty lines.
/// Deterministic: the same objective and start give the same result.
/// </summary>
internal static class NelderMead
{
    /// <summary>Minimises <paramref name="objective"/> over the box [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <returns>The best point found, its value and the iterations used.</returns>
    public static (double[] Point, double Value, int Iterations) Minimise(
        Func<double[], double> objective, double[] start, double[] lower, double[] upper, int maxIterations = 300, double tolerance = 1e-9)
    {
        var n = start.Length;
        double[] ToBox(double[] unit) => [.. unit.Select((u, i) => lower[i] + Math.Clamp(u, 0, 1) * (upper[i] - lower[i]))];
        double Value(double[] unit) => objective(ToBox(unit));

        var origin = start.Select((x, i) => upper[i] > lower[i] ? (x - lower[i]) / (upper[i] - lower[i]) : 0).ToArray();
        var simplex = new List<(double[] X, double F)> { (origin, Value(origin)) };
        for (var i = 0; i < n; i++)
        {
            var vertex = (double[])origin.Clone();
            vertex[i] = vertex[i] > 0.5 ? vertex[i] - 0.15 : vertex[i] + 0.15;
            simplex.Add((vertex, Value(vertex)));
        }

        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            simplex.Sort((a, b) => a.F.CompareTo(b.F));
            if (simplex[^1].F - simplex[0].F < tolerance) break;
            var centroid = new double[n];
            for (var v = 0; v < n; v++)
            for (var i = 0; i < n; i++) centroid[i] += simplex[v].X[i] / n;

            double[] Along(double factor) => [.. centroid.Select((c, i) => Math.Clamp(c + factor * (simplex[^1].X[i] - c), 0, 1))];
            var reflected = Along(-1);
            var fr = Value(reflected);
            if (fr < simplex[0].F)
            {
                var expanded = Along(-2);
                var fe = Value(expanded);
                simplex[^1] = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < simplex[^2].F)
            {
                simplex[^1] = (reflected, fr);
            }
            else
            {
                var contracted = Along(fr < simplex[^1].F ? -0.5 : 0.5);
                var fc = Value(contracted);
                if (fc < Math.Min(fr, simplex[^1].F))
                {
                    simplex[^1] = (contracted, fc);
                }
                else
                {
                    // Shrink every vertex halfway towards the best one.
                    for (var v = 1; v <= n; v++)
                    {
                        var shrunk = simplex[v].X.Select((x, i) => (x + simplex[0].X[i]) / 2).ToArray();
                        simplex[v] = (shrunk, Value(shrunk));
                    }
                }
            }
        }

        simplex.Sort((a, b) => a.F.CompareTo(b.F));
        return (ToBox(simplex[0].X), simplex[0].F, iterations);
    }
}
