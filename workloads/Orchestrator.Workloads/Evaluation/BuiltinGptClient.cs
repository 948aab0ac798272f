using System.Diagnostics;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Metrics;
using Orchestrator.Kernels.Model;

namespace Orchestrator.Workloads.Evaluation;

/// <summary>
/// A training job's checkpoint as an evaluation model: the GPT is loaded unpartitioned on the CPU from the checkpoint
/// store (any saved layout), prompts are scored (echo: every prompt token's log-probability, for language modelling and
/// separate multiple choice) and continued greedily with a key/value cache. Decoding is always greedy: temperature is
/// ignored and every requested completion is the same greedy one. Requests run one at a time.
/// </summary>
public sealed class BuiltinGptClient : IModelClient, IDisposable
{
    private readonly Gpt _model;
    private readonly GptTokenizer _tokenizer;
    private readonly GreedyDecoder _decoder;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private BuiltinGptClient(Gpt model, GptTokenizer tokenizer, string modelId)
    {
        _model = model;
        _tokenizer = tokenizer;
        _decoder = new GreedyDecoder(model, tokenizer);
        ModelId = modelId;
        var sequence = model.Config.SequenceLength;
        Window = new ContextWindow(tokenizer, sequence, _decoder.MaxRequestLength, tokenizer.PrefixToken);
    }

    /// <inheritdoc />
    public string ModelId { get; }

    /// <inheritdoc />
    public ContextWindow Window { get; }

    /// <summary>Loads the checkpoint <paramref name="source"/> names.</summary>
    /// <exception cref="ArgumentException">No such checkpoint, a model shape it does not hold, or an unsupported vocabulary.</exception>
    /// <exception cref="InvalidDataException">Every checkpoint at that step is damaged.</exception>
    public static BuiltinGptClient Open(BuiltinModelSource source) => OpenAsync(source, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Loads the checkpoint <paramref name="source"/> names, without blocking a thread on the store's reads.</summary>
    /// <exception cref="ArgumentException">No such checkpoint, a model shape it does not hold, or an unsupported vocabulary.</exception>
    /// <exception cref="InvalidDataException">Every checkpoint at that step is damaged.</exception>
    public static async Task<BuiltinGptClient> OpenAsync(BuiltinModelSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tokenizer = GptTokenizer.For(source.Model?.Vocabulary ?? 0);
        var (model, _) = await BuiltinCheckpointLoader.LoadAsync(source, cancellationToken).ConfigureAwait(false);
        return new BuiltinGptClient(model, tokenizer, $"builtin:{source.JobId}@{source.Step}");
    }

    /// <inheritdoc />
    public async Task<RequestResult> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.NumCompletions < 1 || request.MaxTokens < 0)
        {
            throw new ArgumentException(
                $"request: numCompletions must be >= 1 and maxTokens >= 0, got {request.NumCompletions} and {request.MaxTokens}", nameof(request));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var watch = Stopwatch.StartNew();
            var completion = Complete(request);
            var seconds = watch.Elapsed.TotalSeconds;
            return new RequestResult(Enumerable.Repeat(completion, request.NumCompletions).ToList(), seconds);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }

    private Completion Complete(ModelRequest request)
    {
        var (prompt, generated) = _decoder.Run(
            _tokenizer.EncodeIds(request.Prompt), request.MaxTokens, ids => StopAt(_tokenizer.DecodeIds(ids), request.StopSequences) is not null);
        var ids = generated.Select(g => g.Id).ToList();
        var text = _tokenizer.DecodeIds(ids);
        if (StopAt(text, request.StopSequences) is { } cut)
        {
            // As HELM truncates at a stop sequence: the text before it, and the tokens that fit within that text.
            text = text[..cut];
            while (ids.Count > 0 && _tokenizer.DecodeIds(ids).Length > cut)
            {
                ids.RemoveAt(ids.Count - 1);
            }
        }

        var tokens = generated.Take(ids.Count).Select(g => new ScoredToken(_tokenizer.TokenText(g.Id), g.LogProbability));
        var all = request.EchoPrompt ? [.. prompt, .. tokens] : tokens.ToList();
        return new Completion(request.EchoPrompt ? request.Prompt + text : text, all.Sum(t => t.LogProbability), all);
    }

    private static int? StopAt(string text, IReadOnlyList<string> stops)
    {
        int? first = null;
        foreach (var stop in stops)
        {
            var at = stop.Length == 0 ? -1 : text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first is null || at < first))
            {
                first = at;
            }
        }

        return first;
    }
}
