using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Adapters;

/// <summary>
/// HELM's <c>LanguageModelingAdapter.generate_requests</c>: the document's tokens cut into windows. The first window
/// holds up to <c>max_sequence_length</c> tokens after the prefix token (which conditions, so 1 conditioning token);
/// each later window predicts up to <c>max_request_length - 1</c> new tokens and is filled up to
/// <c>max_request_length</c> with the tokens just before it as conditioning. Every request echoes the prompt with
/// temperature 0 and <c>max_tokens</c> new tokens (usually 0).
/// </summary>
internal static class LanguageModelingWindows
{
    public static IReadOnlyList<RequestState> Requests(Instance instance, AdapterSpec spec, ContextWindow window)
    {
        var maxRequest = window.MaxRequestLength;
        if (window.MaxSequenceAndGeneratedTokensLength is { } cap)
        {
            maxRequest = Math.Min(maxRequest, cap - spec.MaxTokens);
        }

        if (maxRequest < 2 || window.MaxSequenceLength < 1)
        {
            throw new ArgumentException(
                $"context window too small for language modelling: request length {maxRequest}, sequence {window.MaxSequenceLength}");
        }

        var tokens = window.Tokenizer.Encode(instance.Input);
        var states = new List<RequestState>();
        var firstLength = Math.Min(window.MaxSequenceLength, tokens.Count);
        var prefix = window.PrefixToken.Length > 0 ? window.Tokenizer.Encode(window.PrefixToken) : [];
        var (prompt, _) = FitTokens(window, prefix, Slice(tokens, 0, firstLength), maxRequest);
        states.Add(State(instance, spec, prompt, window.PrefixToken.Length > 0 ? 1 : 0));
        var predicted = firstLength;
        while (predicted < tokens.Count)
        {
            var length = Math.Min(tokens.Count - predicted, maxRequest - 1);
            var end = predicted + length;
            var conditioning = Slice(tokens, Math.Max(0, end - maxRequest), predicted);
            var (text, _) = FitTokens(window, conditioning, Slice(tokens, predicted, end), maxRequest);
            states.Add(State(instance, spec, text, conditioning.Count));
            predicted += length;
        }

        return states;
    }

    /// <summary>HELM's <c>fits_tokens_within_context_window</c>: trim predicted tokens until the re-encoded prompt fits.</summary>
    private static (string Prompt, IReadOnlyList<string> Predicted) FitTokens(
        ContextWindow window, IReadOnlyList<string> conditioning, IReadOnlyList<string> predicted, int maxRequest)
    {
        var prompt = window.Tokenizer.Decode([.. conditioning, .. predicted]);
        var length = window.Tokenizer.Encode(prompt).Count;
        while (length > maxRequest)
        {
            predicted = predicted.Take(predicted.Count - (length - maxRequest)).ToList();
            if (predicted.Count == 0)
            {
                throw new InvalidOperationException(
                    "the tokenizer inflates the text so no predicted token fits the context window");
            }

            prompt = window.Tokenizer.Decode([.. conditioning, .. predicted]);
            length = window.Tokenizer.Encode(prompt).Count;
        }

        return (prompt, predicted);
    }

    private static List<string> Slice(IReadOnlyList<string> tokens, int start, int end) =>
        tokens.Skip(start).Take(end - start).ToList();

    private static RequestState State(Instance instance, AdapterSpec spec, string prompt, int conditioningTokens) =>
        new(instance, null, null, 0, null,
            new ModelRequest(spec.Model, prompt, 0, 1, 1, spec.MaxTokens, spec.StopSequences, EchoPrompt: true),
            spec.MaxTrainInstances, false, conditioningTokens);
}
