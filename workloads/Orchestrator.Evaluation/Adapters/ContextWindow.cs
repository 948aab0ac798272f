namespace Orchestrator.Evaluation.Adapters;

/// <summary>
/// The model's limits as HELM's window service states them: tokens it processes at once, tokens a request may hold
/// (HELM allows one more than the sequence for GPT-style models so the first token gets a log-probability), the token
/// prepended to the first language-modelling window, and an optional cap on prompt plus generated tokens.
/// </summary>
/// <param name="Tokenizer">The model's tokenizer.</param>
/// <param name="MaxSequenceLength">Tokens processed at once.</param>
/// <param name="MaxRequestLength">Tokens one request may hold.</param>
/// <param name="PrefixToken">Prepended to the first LM window (e.g. <c>&lt;|endoftext|&gt;</c>); empty for none.</param>
/// <param name="MaxSequenceAndGeneratedTokensLength">Cap on prompt plus generated tokens, if the model has one.</param>
public sealed record ContextWindow(
    ITokenizer Tokenizer,
    int MaxSequenceLength,
    int MaxRequestLength,
    string PrefixToken = "",
    int? MaxSequenceAndGeneratedTokensLength = null)
{
    /// <summary>HELM's <c>fits_within_context_window</c>: prompt tokens plus expected completion within the request limit.</summary>
    public bool Fits(string text, int expectedCompletionTokens) =>
        Tokenizer.Encode(text).Count + expectedCompletionTokens <= MaxRequestLength;

    /// <summary>HELM's <c>truncate_from_right</c>: keep the first tokens that leave room for the completion.</summary>
    public string TruncateFromRight(string text, int expectedCompletionTokens)
    {
        var keep = Math.Max(0, MaxRequestLength - expectedCompletionTokens);
        var tokens = Tokenizer.Encode(text);
        return tokens.Count <= keep ? text : Tokenizer.Decode(tokens.Take(keep).ToList());
    }
}
