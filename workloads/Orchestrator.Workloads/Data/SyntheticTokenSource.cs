namespace Orchestrator.Workloads.Data;

/// <summary>
/// The built-in source <c>synthetic</c>: a random Markov chain over the vocabulary in which every token has two
/// successors, taken with probabilities 3/4 and 1/4. A small GPT learns the transition table within ~100 steps, so
/// the loss falls visibly from ln(V) toward the chain's entropy (about 0.56 nats) without any download.
/// </summary>
internal sealed class SyntheticTokenSource : ITokenSource
{
    /// <summary>The name used in data source strings.</summary>
    public const string Name = "synthetic";

    private const double LikelySuccessorProbability = 0.75;
    private readonly int[] _likely;
    private readonly int[] _unlikely;
    private readonly ulong _seed;

    public SyntheticTokenSource(int vocabularySize, long seed)
    {
        if (vocabularySize < 2)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, "the synthetic source needs a vocabulary of at least 2 tokens");
        VocabularySize = vocabularySize;
        _seed = unchecked((ulong)seed);
        var table = new SplitMix64(SplitMix64.Combine(_seed, 0x7AB1E, 0));
        _likely = new int[vocabularySize];
        _unlikely = new int[vocabularySize];
        for (var token = 0; token < vocabularySize; token++)
        {
            _likely[token] = table.NextInt(vocabularySize);
            // A distinct second successor keeps the entropy fixed at H(3/4, 1/4) for every token.
            _unlikely[token] = (_likely[token] + 1 + table.NextInt(vocabularySize - 1)) % vocabularySize;
        }
    }

    public int VocabularySize { get; }

    /// <summary>The entropy of the chain's next-token distribution, the loss a perfect model reaches (nats).</summary>
    public static double EntropyNats =>
        -(LikelySuccessorProbability * Math.Log(LikelySuccessorProbability) + (1 - LikelySuccessorProbability) * Math.Log(1 - LikelySuccessorProbability));

    public void Fill(long step, int sampleIndex, Span<long> tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleIndex);
        var random = new SplitMix64(SplitMix64.Combine(_seed, (ulong)step, (ulong)sampleIndex));
        var token = random.NextInt(VocabularySize);
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = token;
            token = random.NextDouble() < LikelySuccessorProbability ? _likely[token] : _unlikely[token];
        }
    }
}
