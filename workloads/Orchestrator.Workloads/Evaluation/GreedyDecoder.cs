using Orchestrator.Evaluation.Metrics;
using Orchestrator.Kernels.Model;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Evaluation;

/// <summary>
/// Scores a prompt and continues it greedily on one <see cref="Gpt"/>: one forward pass over the prompt fills a
/// key/value cache and gives every prompt token's log-probability (the first token has none, 0, as HELM counts an
/// echoed first token); each generated token then costs one cached position.
/// </summary>
internal sealed class GreedyDecoder(Gpt model, GptTokenizer tokenizer)
{
    /// <summary>Tokens a request may hold: the model's positions plus one (the last token is scored, never fed).</summary>
    public int MaxRequestLength => model.Config.SequenceLength + 1;

    /// <summary>The prompt's tokens with log-probabilities, then up to <paramref name="maxTokens"/> greedy tokens.</summary>
    public (IReadOnlyList<ScoredToken> Prompt, IReadOnlyList<(int Id, double LogProbability)> Generated) Run(
        IReadOnlyList<int> prompt, int maxTokens, Func<IReadOnlyList<int>, bool> stop)
    {
        var sequence = model.Config.SequenceLength;
        if (prompt.Count == 0)
        {
            throw new ArgumentException("request.prompt: the built-in model needs at least one prompt token");
        }

        if (prompt.Count > MaxRequestLength)
        {
            throw new ArgumentException(
                $"request.prompt: {prompt.Count} tokens, but the model holds at most {MaxRequestLength} ({sequence} positions + 1 scored)");
        }

        using var scope = NewDisposeScope();
        using var inference = no_grad();
        using var cache = new GptKeyValueCache(model.Config.Layers);
        var fed = prompt.Take(sequence).Select(id => (long)id).ToArray();
        var logProbabilities = LogSoftmax(model.Forward(tensor(fed).unsqueeze(0), cache));
        var scored = new List<ScoredToken> { new(tokenizer.TokenText(prompt[0]), 0) };
        for (var i = 1; i < prompt.Count; i++)
        {
            scored.Add(new ScoredToken(tokenizer.TokenText(prompt[i]), logProbabilities[i - 1, prompt[i]].item<double>()));
        }

        var generated = new List<(int, double)>();
        var ids = new List<int>();
        // A prompt that fills every position leaves none to generate from.
        var next = prompt.Count <= sequence ? logProbabilities[prompt.Count - 1] : null;
        while (next is not null && generated.Count < maxTokens)
        {
            var id = (int)next.argmax().item<long>();
            generated.Add((id, next[id].item<double>()));
            ids.Add(id);
            if (stop(ids) || cache.Length >= sequence)
            {
                break;
            }

            next = LogSoftmax(model.Forward(tensor(new long[] { id }).unsqueeze(0), cache))[0];
        }

        return (scored, generated);
    }

    // [1, n, vocabulary] logits to [n, vocabulary] log-probabilities in float64, as the metrics sum them.
    private static Tensor LogSoftmax(Tensor logits) => logits[0].to(ScalarType.Float64).log_softmax(-1);
}
