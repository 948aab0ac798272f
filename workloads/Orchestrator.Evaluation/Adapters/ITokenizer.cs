namespace Orchestrator.Evaluation.Adapters;

/// <summary>A model's tokenizer as the adapters need it: text to tokens and back. Keeps the library free of models.</summary>
public interface ITokenizer
{
    /// <summary>The tokens of a text.</summary>
    IReadOnlyList<string> Encode(string text);

    /// <summary>The text of a token sequence.</summary>
    string Decode(IReadOnlyList<string> tokens);
}
