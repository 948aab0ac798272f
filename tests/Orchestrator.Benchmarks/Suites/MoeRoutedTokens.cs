using static TorchSharp.torch;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Inputs whose routing follows a chosen distribution through the real router: the router weight lets hidden feature
/// e vote for expert e, and each token carries a strong vote for its sampled first expert (1.0) and, for k = 2, its
/// second (0.5, drawn from the others), on top of small noise.
/// </summary>
internal static class MoeRoutedTokens
{
    /// <summary>Router weight [hidden, experts] whose first <paramref name="experts"/> hidden features each vote for one expert.</summary>
    public static Tensor RouterWeight(int hidden, int experts, Generator generator)
    {
        var weight = normal(0.0, 0.001, [hidden, experts], generator: generator);
        for (var expert = 0; expert < experts; expert++)
        {
            weight[expert, expert] = tensor(10f);
        }

        return weight;
    }

    /// <summary>
    /// Tokens [tokens, hidden] whose expert choices are drawn uniformly or from Zipf(<paramref name="zipfExponent"/>)
    /// weights over the experts (expert e gets weight (e + 1)^-exponent); <paramref name="zipfExponent"/> null for uniform.
    /// </summary>
    public static Tensor Create(int tokens, int hidden, int experts, int topK, double? zipfExponent, Generator generator, int seed)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(1, experts).Select(rank => zipfExponent is { } s ? Math.Pow(rank, -s) : 1.0).ToArray();
        var data = normal(0.0, 0.05, [tokens, hidden], generator: generator).data<float>().ToArray();
        for (var token = 0; token < tokens; token++)
        {
            var first = Sample(weights, random, exclude: -1);
            data[token * hidden + first] = 1f;
            if (topK == 2)
            {
                data[token * hidden + Sample(weights, random, exclude: first)] = 0.5f;
            }
        }

        return tensor(data, [tokens, hidden]);
    }

    private static int Sample(double[] weights, Random random, int exclude)
    {
        var total = weights.Where((_, i) => i != exclude).Sum();
        var target = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            if (i == exclude)
            {
                continue;
            }

            target -= weights[i];
            if (target <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1 == exclude ? weights.Length - 2 : weights.Length - 1;
    }
}
