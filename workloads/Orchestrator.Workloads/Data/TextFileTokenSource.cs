using Microsoft.ML.Tokenizers;

namespace Orchestrator.Workloads.Data;

/// <summary>
/// The source <c>file:PATH</c>: a UTF-8 text file tokenised once with GPT-2's BPE; each sample is a window of the
/// token stream at an offset derived from (seed, step, index), so a resumed run reads the same windows.
/// </summary>
internal sealed class TextFileTokenSource : ITokenSource
{
    /// <summary>The prefix used in data source strings.</summary>
    public const string Prefix = "file:";

    /// <summary>GPT-2's BPE: 50,000 merges + 256 byte tokens + end-of-text.</summary>
    public const int Gpt2VocabularySize = 50257;

    private readonly int[] _tokens;
    private readonly ulong _seed;

    private TextFileTokenSource(int[] tokens, int vocabularySize, long seed)
    {
        _tokens = tokens;
        VocabularySize = vocabularySize;
        _seed = unchecked((ulong)seed);
    }

    public int VocabularySize { get; }

    /// <summary>Tokens in the file.</summary>
    public int Length => _tokens.Length;

    public static TextFileTokenSource Load(string path, int sequenceLength, long seed)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"data source file '{path}' does not exist", nameof(path));
        var tokenizer = TiktokenTokenizer.CreateForModel("gpt2");
        var tokens = tokenizer.EncodeToIds(File.ReadAllText(path)).ToArray();
        if (tokens.Length < sequenceLength + 1)
            throw new ArgumentException($"data source file '{path}' holds {tokens.Length} tokens, fewer than one sample needs ({sequenceLength + 1})", nameof(path));
        return new TextFileTokenSource(tokens, Gpt2VocabularySize, seed);
    }

    public void Fill(long step, int sampleIndex, Span<long> tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleIndex);
        var random = new SplitMix64(SplitMix64.Combine(_seed, (ulong)step, (ulong)sampleIndex));
        var start = random.NextInt(_tokens.Length - tokens.Length + 1);
        for (var i = 0; i < tokens.Length; i++) tokens[i] = _tokens[start + i];
    }
}
