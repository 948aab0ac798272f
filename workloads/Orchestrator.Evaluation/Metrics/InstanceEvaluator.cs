using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// Turns one instance's answered requests (one train trial) into its per-instance stats, as HELM's
/// <c>BasicGenerationMetric</c>, <c>BasicReferenceMetric</c> and <c>LanguageModelingMetric</c> do: for generation and
/// joint multiple choice, <c>max_prob</c> (e^ log-prob of the most likely completion), each reference metric on the
/// first prediction and, when more than one output was asked for, <c>NAME@k</c> over all predictions; for separate
/// multiple choice, the reference scoring of <see cref="MultipleChoiceScoring"/>; for language modelling, the window
/// stats of <see cref="LanguageModelingMetrics"/>; for all, efficiency stats when profiles are given and
/// <c>num_references</c>, <c>num_train_trials</c>, <c>num_train_instances</c>, <c>prompt_truncated</c> (HELM's
/// finish-reason stats need the client's finish reason and come with the clients). Stat names carry the context.
/// </summary>
/// <param name="spec">The adapter spec the requests came from.</param>
/// <param name="tokenizer">The model's tokenizer (counts prompt and reference tokens).</param>
/// <param name="referenceMetrics">Names from <see cref="ReferenceMetrics.Names"/> to compute for generation methods.</param>
/// <param name="efficiency">Efficiency metrics, or null to skip them.</param>
public sealed class InstanceEvaluator(
    AdapterSpec spec, ITokenizer tokenizer, IReadOnlyList<string> referenceMetrics, EfficiencyMetrics? efficiency = null)
{
    /// <summary>The per-instance stats of one instance in one train trial.</summary>
    /// <exception cref="ArgumentException">The requests are empty, unanswered, or belong to different instances or trials.</exception>
    public PerInstanceStats Evaluate(IReadOnlyList<(RequestState State, RequestResult Result)> requests)
    {
        if (requests.Count == 0)
        {
            throw new ArgumentException("an instance needs at least one answered request", nameof(requests));
        }

        var (first, _) = requests[0];
        if (requests.Any(r => r.State.Instance.Id != first.Instance.Id ||
                              r.State.Instance.Perturbation != first.Instance.Perturbation ||
                              r.State.TrainTrialIndex != first.TrainTrialIndex))
        {
            throw new ArgumentException("requests of different instances or trials cannot be evaluated together", nameof(requests));
        }

        if (requests.Any(r => r.Result.Completions.Count == 0))
        {
            throw new ArgumentException($"instance '{first.Instance.Id}': a request has no completion", nameof(requests));
        }

        var stats = new List<Stat>();
        foreach (var (state, result) in requests)
        {
            stats.Add(Stat.Of(new MetricName("num_references"), state.Instance.References.Count));
            stats.Add(Stat.Of(new MetricName("num_train_trials"), spec.NumTrainTrials));
            stats.Add(Stat.Of(new MetricName("num_train_instances"), state.NumTrainInstances));
            stats.Add(Stat.Of(new MetricName("prompt_truncated"), state.PromptTruncated ? 1 : 0));
            if (efficiency is not null)
            {
                stats.AddRange(efficiency.Compute(new EfficiencyInput(
                    state.Request.Model, tokenizer.Encode(state.Request.Prompt).Count,
                    result.Completions.Select(c => c.Tokens.Count).ToList(), state.Request.EchoPrompt,
                    result.RequestTime, result.BatchRequestTime, result.BatchSize)));
            }
        }

        stats.AddRange(spec.Method switch
        {
            AdapterMethod.Generation or AdapterMethod.MultipleChoiceJoint => GenerationStats(first, requests[0].Result),
            AdapterMethod.LanguageModeling => requests.SelectMany(r =>
                LanguageModelingMetrics.Compute(r.Result.Completions[0].Tokens, r.State.NumConditioningTokens)),
            _ => SeparateStats(first.Instance, requests),
        });

        var merged = new Dictionary<string, Stat>(StringComparer.Ordinal);
        foreach (var stat in stats)
        {
            var named = stat.WithName(MetricName.InContextOf(stat.Name.Name, first.Instance));
            merged[stat.Name.Name] = merged.TryGetValue(stat.Name.Name, out var existing) ? existing.Merge(named) : named;
        }

        return new PerInstanceStats(first.Instance, first.TrainTrialIndex, merged.Values.ToList());
    }

    private IEnumerable<Stat> GenerationStats(RequestState state, RequestResult result)
    {
        // HELM scores the language-modelling stats of the FIRST completion as returned, not the most likely one.
        foreach (var stat in LanguageModelingMetrics.Compute(result.Completions[0].Tokens, 0))
        {
            yield return stat;
        }

        var golds = state.Instance.References.Where(r => r.IsCorrect).Select(r => r.Output).ToList();
        if (state.Instance.References.Count == 0)
        {
            yield break;
        }

        var best = result.Completions.Select((c, i) => (c, i)).OrderByDescending(x => x.c.LogProbability).ThenBy(x => x.i).First().c;
        yield return Stat.Of(new MetricName("max_prob"), Math.Exp(best.LogProbability));
        if (golds.Count == 0)
        {
            // HELM asserts gold references exist here; we score nothing rather than fail the shard.
            yield break;
        }

        foreach (var metric in referenceMetrics)
        {
            yield return Stat.Of(new MetricName(metric), ReferenceMetrics.Score(metric, golds, result.Completions, state.OutputMapping));
            if (spec.NumOutputs != 1)
            {
                // NAME@k: the best pair over every gold and every completion
                var atK = result.Completions.Max(c => ReferenceMetrics.Score(metric, golds, [c], state.OutputMapping));
                yield return Stat.Of(new MetricName($"{metric}@{spec.NumOutputs}"), atK);
            }
        }
    }

    private IEnumerable<Stat> SeparateStats(Instance instance, IReadOnlyList<(RequestState State, RequestResult Result)> requests)
    {
        double LogProbability(int reference, string mode)
        {
            var (_, result) = requests.SingleOrDefault(r => r.State.ReferenceIndex == reference && r.State.RequestMode == mode);
            if (result is null)
            {
                throw new ArgumentException($"instance '{instance.Id}': no '{mode}' request for reference {reference}");
            }

            return MultipleChoiceScoring.ReferenceLogProbability(result.Completions[0].Tokens, ReferenceTokens(instance, reference));
        }

        var indices = Enumerable.Range(0, instance.References.Count).ToList();
        var scores = spec.Method == AdapterMethod.MultipleChoiceSeparateCalibrated
            ? MultipleChoiceScoring.CalibratedScores(
                indices.Select(i => LogProbability(i, "original")).ToList(),
                indices.Select(i => LogProbability(i, "calibration")).ToList())
            : MultipleChoiceScoring.OriginalScores(
                indices.Select(i => (LogProbability(i, "original"), ReferenceTokens(instance, i))).ToList());
        var correct = indices.Where(i => instance.References[i].IsCorrect).ToList();
        return MultipleChoiceScoring.Evaluate(scores, correct);
    }

    /// <summary>HELM counts the reference's tokens with a space in front, as it follows a space in the prompt.</summary>
    private int ReferenceTokens(Instance instance, int reference) =>
        tokenizer.Encode(" " + instance.References[reference].Output).Count;
}
