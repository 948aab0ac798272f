using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Adapters;

/// <summary>
/// Turns a scenario into requests the way HELM's adapters do (adaptation/adapters/*.py). For the in-context methods,
/// each train trial t samples examples with seed t from the train split and builds requests for every valid and test
/// instance; language modelling windows each evaluated instance's input.
/// </summary>
public static class Adapter
{
    /// <summary>The requests of a scenario, train trial by train trial, instance by instance.</summary>
    /// <param name="scenario">Instances (train ones supply examples).</param>
    /// <param name="spec">The adapter spec.</param>
    /// <param name="window">The model's context window; needed for language modelling, optional otherwise.</param>
    /// <exception cref="ArgumentException">The spec is invalid (messages name the fields) or a window is missing.</exception>
    public static IReadOnlyList<RequestState> Adapt(Scenario scenario, AdapterSpec spec, ContextWindow? window = null)
    {
        var errors = spec.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(spec));
        }

        var evaluated = scenario.EvaluationInstances;
        if (spec.Method == AdapterMethod.LanguageModeling)
        {
            var lmWindow = window ?? throw new ArgumentException(
                "language_modeling needs the model's context window (tokenizer and lengths)", nameof(window));
            return evaluated.SelectMany(instance => LanguageModelingWindows.Requests(instance, spec, lmWindow)).ToList();
        }

        var builder = new PromptBuilder(spec, window);
        var train = scenario.InSplit(Splits.Train);
        var states = new List<RequestState>();
        for (var trial = 0; trial < spec.NumTrainTrials; trial++)
        {
            var examples = InContextExampleSampler.Sample(train, spec.MaxTrainInstances, trial, spec.SampleTrain);
            foreach (var instance in evaluated)
            {
                states.AddRange(Requests(spec, builder, examples, instance, trial));
            }
        }

        return states;
    }

    private static IEnumerable<RequestState> Requests(
        AdapterSpec spec, PromptBuilder builder, IReadOnlyList<Instance> examples, Instance instance, int trial)
    {
        switch (spec.Method)
        {
            case AdapterMethod.Generation:
            {
                var (text, kept, truncated) = builder.Build(examples, instance, includeOutput: false, referenceIndex: null);
                var request = new ModelRequest(
                    spec.Model, text, spec.Temperature, spec.NumOutputs, 1, spec.MaxTokens, spec.StopSequences, false);
                yield return new RequestState(instance, null, null, trial, null, request, kept, truncated);
                break;
            }

            case AdapterMethod.MultipleChoiceJoint:
            {
                var (text, kept, truncated) = builder.Build(examples, instance, includeOutput: false, referenceIndex: null);
                var letter = builder.FirstLetter.ToString();
                var mapping = instance.References
                    .Select((reference, i) => (Key: builder.ReferencePrefix(letter, i), reference.Output))
                    .GroupBy(pair => pair.Key)
                    .ToDictionary(g => g.Key, g => g.Last().Output);
                var request = new ModelRequest(
                    spec.Model, text, spec.Temperature, 1, spec.NumOutputs, spec.MaxTokens, [], false);
                yield return new RequestState(instance, null, null, trial, mapping, request, kept, truncated);
                break;
            }

            default:
            {
                var calibrated = spec.Method == AdapterMethod.MultipleChoiceSeparateCalibrated;
                for (var i = 0; i < instance.References.Count; i++)
                {
                    var (text, kept, truncated) = builder.Build(examples, instance, includeOutput: true, referenceIndex: i);
                    yield return SeparateState(spec, instance, trial, i, "original", text, kept, truncated);
                    if (calibrated)
                    {
                        // HELM scores the reference after the bare input "Answer:" with no examples.
                        var bare = instance with { Input = "Answer:" };
                        var (calibration, keptC, truncatedC) = builder.Build([], bare, includeOutput: true, referenceIndex: i);
                        yield return SeparateState(spec, instance, trial, i, "calibration", calibration, keptC, truncatedC);
                    }
                }

                break;
            }
        }
    }

    private static RequestState SeparateState(
        AdapterSpec spec, Instance instance, int trial, int reference, string mode, string prompt, int kept, bool truncated) =>
        new(instance, reference, mode, trial, null,
            new ModelRequest(spec.Model, prompt, 0, 1, 1, 0, [], EchoPrompt: true), kept, truncated);
}
