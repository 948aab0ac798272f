namespace Orchestrator.Evaluation.Adapters;

/// <summary>A tokenizer whose tokens are the whitespace-separated words, decoded with single spaces (tests, examples).</summary>
public sealed class WhitespaceTokenizer : ITokenizer
{
    /// <inheritdoc />
    public IReadOnlyList<string> Encode(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <inheritdoc />
    public string Decode(IReadOnlyList<string> tokens) => string.Join(' ', tokens);
}
