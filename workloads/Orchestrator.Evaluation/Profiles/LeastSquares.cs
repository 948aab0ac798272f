namespace Orchestrator.Evaluation.Profiles;

/// <summary>
/// Ordinary least squares for the handful of unknowns of a runtime profile: the normal equations solved by Gaussian
/// elimination with partial pivoting. Written here because the library takes no numerics dependency for one small system.
/// </summary>
internal static class LeastSquares
{
    public static double[] Solve(IReadOnlyList<double[]> rows, IReadOnlyList<double> targets)
    {
        var n = rows[0].Length;
        var a = new double[n, n + 1];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    a[i, j] += rows[r][i] * rows[r][j];
                }

                a[i, n] += rows[r][i] * targets[r];
            }
        }

        for (var column = 0; column < n; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < n; row++)
            {
                if (Math.Abs(a[row, column]) > Math.Abs(a[pivot, column]))
                {
                    pivot = row;
                }
            }

            if (Math.Abs(a[pivot, column]) < 1e-12)
            {
                throw new ArgumentException(
                    $"measurements: unknown {column} is not determined by them (e.g. every request had the same output tokens, or an overhead with every prompt exactly at a profiled size); vary prompt and output sizes");
            }

            for (var j = 0; j <= n; j++)
            {
                (a[column, j], a[pivot, j]) = (a[pivot, j], a[column, j]);
            }

            for (var row = 0; row < n; row++)
            {
                if (row == column)
                {
                    continue;
                }

                var factor = a[row, column] / a[column, column];
                for (var j = column; j <= n; j++)
                {
                    a[row, j] -= factor * a[column, j];
                }
            }
        }

        return [.. Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i])];
    }
}
