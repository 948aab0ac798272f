using System.Security.Cryptography;
using System.Text;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests.Runs;

/// <summary>
/// A deterministic stand-in model: answers are a function of the prompt alone (SHA-256), so any shard, any order and
/// any re-run gets the same answers. Counts the requests it answers and can fail after a number of them, as a killed
/// worker would stop.
/// </summary>
internal sealed class FakeModel(int failAfter = int.MaxValue) : IModelClient
{
    private static readonly string[] Words = ["Paris", "blue", "4", "yes", "no", "A", "B", "C"];
    private int _answered;

    public int Answered => _answered;

    public string ModelId => "fake:hash";

    public ContextWindow Window { get; } = new(new WhitespaceTokenizer(), 512, 512);

    public Task<RequestResult> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        if (_answered >= failAfter) throw new OperationCanceledException("the fake worker was killed");
        Interlocked.Increment(ref _answered);
        var completions = Enumerable.Range(0, request.NumCompletions).Select(i => Complete(request, i)).ToList();
        return Task.FromResult(new RequestResult(completions));
    }

    private Completion Complete(ModelRequest request, int index)
    {
        var prompt = Window.Tokenizer.Encode(request.Prompt);
        var tokens = new List<ScoredToken>();
        if (request.EchoPrompt)
        {
            tokens.AddRange(prompt.Select((t, i) => new ScoredToken(t, -Fraction($"{i}:{t}") * 4)));
        }

        var word = Words[(int)(Fraction($"{index}|{request.Prompt}") * Words.Length)];
        if (request.MaxTokens > 0) tokens.Add(new ScoredToken(word, -Fraction(word + request.Prompt)));
        var text = request.MaxTokens > 0 ? word : "";
        return new Completion(text, tokens.Sum(t => t.LogProbability), tokens);
    }

    private static double Fraction(string text) =>
        BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0) / (uint.MaxValue + 1.0);
}
