using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests;

/// <summary>Request construction as HELM's adapters build it (prompt.py, in_context_learning_adapter.py and the method adapters).</summary>
public sealed class AdapterTests
{
    private static readonly Scenario Arithmetic = new("arith",
    [
        Fixtures.Question("t1", "2+2?", Splits.Train, ("4", true)),
        Fixtures.Question("t2", "3+3?", Splits.Train, ("6", true)),
        Fixtures.Question("q1", "1+1?", Splits.Test, ("2", true)),
    ]);

    private static readonly Scenario Capitals = new("capitals",
    [
        Fixtures.Question("m1", "Capital of Italy?", Splits.Train, ("Rome", true), ("Milan", false)),
        Fixtures.Question("q1", "Capital of France?", Splits.Test, ("London", false), ("Paris", true), ("Rome", false)),
    ]);

    private static readonly AdapterSpec GenerationSpec = new()
    {
        Instructions = "Answer the question.", MaxTrainInstances = 2, NumOutputs = 1, Temperature = 0, MaxTokens = 5,
        StopSequences = ["\n"],
    };

    [Fact]
    public void GenerationPromptJoinsInstructionsExamplesAndInput()
    {
        var state = Assert.Single(Adapter.Adapt(Arithmetic, GenerationSpec));

        // HELM samples [t1, t2] with seed 0; the evaluated block ends with the right-trimmed output prefix
        Assert.Equal("Answer the question.\nInput: 2+2?\nOutput: 4\n\nInput: 3+3?\nOutput: 6\n\nInput: 1+1?\nOutput:", state.Request.Prompt);
        Assert.Equal((1, 0.0, 5, false), (state.Request.NumCompletions, state.Request.Temperature, state.Request.MaxTokens, state.Request.EchoPrompt));
        Assert.Equal(["\n"], state.Request.StopSequences);
        Assert.Equal((2, false, "q1"), (state.NumTrainInstances, state.PromptTruncated, state.Instance.Id));
    }

    [Fact]
    public void PromptsDropExamplesThenTruncateToFitTheWindow()
    {
        // whitespace tokens: 14 with both examples; 14 + 5 > 16, 10 + 5 <= 16 -> one example kept
        var window = new ContextWindow(new WhitespaceTokenizer(), 16, 16);
        var fitted = Assert.Single(Adapter.Adapt(Arithmetic, GenerationSpec, window));
        Assert.Equal("Answer the question.\nInput: 2+2?\nOutput: 4\n\nInput: 1+1?\nOutput:", fitted.Request.Prompt);
        Assert.Equal(1, fitted.NumTrainInstances);

        // 8 tokens: even without examples 6 + 5 > 8 -> cut to the first 3 tokens
        var truncated = Assert.Single(Adapter.Adapt(Arithmetic, GenerationSpec, new ContextWindow(new WhitespaceTokenizer(), 8, 8)));
        Assert.Equal("Answer the question.", truncated.Request.Prompt);
        Assert.Equal((0, true), (truncated.NumTrainInstances, truncated.PromptTruncated));
    }

    [Fact]
    public void MultipleChoiceJointLettersTheReferencesAndMapsLettersBack()
    {
        var spec = new AdapterSpec
        {
            Method = AdapterMethod.MultipleChoiceJoint, InputPrefix = "Question: ", OutputPrefix = "Answer: ",
            MaxTrainInstances = 1, Temperature = 0, MaxTokens = 1,
        };
        var state = Assert.Single(Adapter.Adapt(Capitals, spec));

        Assert.Equal(
            "Question: Capital of Italy?\nA. Rome\nB. Milan\nAnswer: A\n\n" +
            "Question: Capital of France?\nA. London\nB. Paris\nC. Rome\nAnswer:",
            state.Request.Prompt);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "London", ["B"] = "Paris", ["C"] = "Rome" }, state.OutputMapping);
        Assert.Equal((1, 5, 1), (state.Request.NumCompletions, state.Request.TopKPerToken, state.Request.MaxTokens));
        Assert.Empty(state.Request.StopSequences);
    }

    [Fact]
    public void SeparateMethodsScoreEachReferenceAndCalibratedAddsTheBarePrompt()
    {
        var original = new AdapterSpec
        {
            Method = AdapterMethod.MultipleChoiceSeparateOriginal, InputPrefix = "", InputSuffix = " ", OutputPrefix = "",
            OutputSuffix = "", MaxTrainInstances = 0,
        };
        var states = Adapter.Adapt(Capitals, original);
        Assert.Equal(["Capital of France? London", "Capital of France? Paris", "Capital of France? Rome"], states.Select(s => s.Request.Prompt));
        Assert.All(states, s => Assert.Equal((true, 0, 0.0, "original"), (s.Request.EchoPrompt, s.Request.MaxTokens, s.Request.Temperature, s.RequestMode)));
        Assert.Equal([0, 1, 2], states.Select(s => s.ReferenceIndex!.Value));

        var calibrated = Adapter.Adapt(Capitals, original with { Method = AdapterMethod.MultipleChoiceSeparateCalibrated });
        Assert.Equal(6, calibrated.Count);
        Assert.Equal(("calibration", "Answer: Paris", 1), (calibrated[3].RequestMode, calibrated[3].Request.Prompt, calibrated[3].ReferenceIndex!.Value));
    }

    [Fact]
    public void LanguageModelingWindowsTheDocumentWithConditioningTokens()
    {
        var document = string.Join(' ', Enumerable.Range(1, 10).Select(i => $"w{i}"));
        var scenario = new Scenario("lm", [new Instance("d1", document, [], Splits.Test), new Instance("t", "ignored", [], Splits.Train)]);
        var window = new ContextWindow(new WhitespaceTokenizer(), MaxSequenceLength: 4, MaxRequestLength: 5, PrefixToken: "<eot>");

        var states = Adapter.Adapt(scenario, new AdapterSpec { Method = AdapterMethod.LanguageModeling, MaxTokens = 0 }, window);

        // first window: prefix + 4 tokens; then up to 4 new tokens filled back to 5 with conditioning tokens
        Assert.Equal(["<eot> w1 w2 w3 w4", "w4 w5 w6 w7 w8", "w6 w7 w8 w9 w10"], states.Select(s => s.Request.Prompt));
        Assert.Equal([1, 1, 3], states.Select(s => s.NumConditioningTokens));
        Assert.All(states, s => Assert.Equal((true, 0, 0.0), (s.Request.EchoPrompt, s.Request.MaxTokens, s.Request.Temperature)));
    }

    [Fact]
    public void InvalidSpecsAndMissingWindowsAreRefusedNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => Adapter.Adapt(Arithmetic, GenerationSpec with { NumOutputs = 0, Temperature = -1 }));
        Assert.Contains("adapter.numOutputs", error.Message);
        Assert.Contains("adapter.temperature", error.Message);
        Assert.Throws<ArgumentException>(() => Adapter.Adapt(Arithmetic, new AdapterSpec { Method = AdapterMethod.LanguageModeling }));
        Assert.Equal(AdapterMethod.MultipleChoiceSeparateCalibrated, AdapterMethods.Parse("multiple_choice_separate_calibrated"));
        Assert.Contains("multiple_choice_joint", Assert.Throws<ArgumentException>(() => AdapterMethods.Parse("mcq")).Message);
        Assert.All(AdapterMethods.Names, name => Assert.Equal(name, AdapterMethods.NameOf(AdapterMethods.Parse(name))));
        Assert.Equal(5, AdapterMethods.Names.Count);
    }
}
