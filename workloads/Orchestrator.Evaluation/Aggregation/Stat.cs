namespace Orchestrator.Evaluation.Aggregation;

/// <summary>
/// A running summary of values (HELM's <c>Stat</c>): count, sum, sum of squares, min, max, and the mean, population
/// variance and standard deviation derived from them exactly as HELM does. Immutable: <see cref="Add"/> and
/// <see cref="Merge"/> return new stats.
/// </summary>
/// <param name="Name">What the values measure and in which context.</param>
/// <param name="Count">Number of values added.</param>
/// <param name="Sum">Sum of the values.</param>
/// <param name="SumSquared">Sum of the squared values.</param>
/// <param name="Min">Smallest value, or null when empty.</param>
/// <param name="Max">Largest value, or null when empty.</param>
public sealed record Stat(MetricName Name, int Count, double Sum, double SumSquared, double? Min, double? Max)
{
    /// <summary>An empty stat.</summary>
    public Stat(MetricName name) : this(name, 0, 0, 0, null, null)
    {
    }

    /// <summary>Sum / count, or null when empty.</summary>
    public double? Mean => Count == 0 ? null : Sum / Count;

    /// <summary>Population variance <c>sum_squared/count - mean^2</c>, clamped at 0 as HELM does; null when empty.</summary>
    public double? Variance
    {
        get
        {
            if (Count == 0)
            {
                return null;
            }

            var mean = Sum / Count;
            var variance = SumSquared / Count - mean * mean;
            return variance < 0 ? 0 : variance;
        }
    }

    /// <summary>Square root of <see cref="Variance"/>.</summary>
    public double? Stddev => Variance is { } v ? Math.Sqrt(v) : null;

    /// <summary>A stat holding one value.</summary>
    public static Stat Of(MetricName name, double value) => new Stat(name).Add(value);

    /// <summary>Adds a value; null is skipped, as HELM skips <c>None</c>.</summary>
    public Stat Add(double? value)
    {
        if (value is not { } x)
        {
            return this;
        }

        return this with
        {
            Count = Count + 1,
            Sum = Sum + x,
            SumSquared = SumSquared + x * x,
            Min = Min is { } min ? Math.Min(min, x) : x,
            Max = Max is { } max ? Math.Max(max, x) : x,
        };
    }

    /// <summary>Combines two stats of the same name (HELM's <c>Stat.merge</c>).</summary>
    /// <exception cref="ArgumentException">The names differ.</exception>
    public Stat Merge(Stat other)
    {
        if (other.Name != Name)
        {
            throw new ArgumentException($"cannot merge stat '{other.Name.Name}' into '{Name.Name}'", nameof(other));
        }

        if (other.Count == 0)
        {
            return this;
        }

        return this with
        {
            Count = Count + other.Count,
            Sum = Sum + other.Sum,
            SumSquared = SumSquared + other.SumSquared,
            Min = Min is { } a ? Math.Min(a, other.Min!.Value) : other.Min,
            Max = Max is { } b ? Math.Max(b, other.Max!.Value) : other.Max,
        };
    }

    /// <summary>A stat holding only this stat's mean (HELM's <c>take_mean</c>); an empty stat stays empty.</summary>
    public Stat TakeMean() => Count == 0 ? this : new Stat(Name).Add(Mean);

    /// <summary>The same values under another name.</summary>
    public Stat WithName(MetricName name) => this with { Name = name };
}
