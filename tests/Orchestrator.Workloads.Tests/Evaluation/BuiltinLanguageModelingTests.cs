using System.Text;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Metrics;
using Orchestrator.Workloads.Evaluation;
using Orchestrator.Workloads.Tests.Training;

namespace Orchestrator.Workloads.Tests.Evaluation;

/// <summary>
/// The built-in model on a real built-in scenario: HELM's language-modelling windows over the start of the 1790 State of
/// the Union address, answered by the client, give bits per byte over every byte of the text exactly once.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class BuiltinLanguageModelingTests(BuiltinCheckpoints checkpoints) : IClassFixture<BuiltinCheckpoints>
{
    [Fact]
    public async Task Bits_per_byte_on_the_state_of_the_union_cover_each_byte_once()
    {
        var dataRoot = BuiltinScenarios.ResolveDataRoot(null, AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("evaluation data not installed: run scripts/install-test-tools.sh");
        var address = BuiltinScenarios.Load("sotu", dataRoot).Instances[0];
        var text = address.Input[..200];
        Assert.True(text.All(char.IsAscii), "the fixture text is ASCII, so no window cuts a character");
        var instance = address with { Input = text };
        using var client = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned));
        var spec = new AdapterSpec { Method = AdapterMethod.LanguageModeling, MaxTokens = 0, Model = client.ModelId };

        var states = Adapter.Adapt(new Scenario("sotu", [instance]), spec, client.Window);
        var answered = new List<(RequestState, RequestResult)>();
        foreach (var state in states)
        {
            answered.Add((state, await client.CompleteAsync(state.Request, default)));
        }

        var perInstance = new InstanceEvaluator(spec, client.Window.Tokenizer, []).Evaluate(answered);
        var stats = RunAggregator.Aggregate([perInstance]).Where(s => s.Name.Perturbation is null).ToDictionary(s => s.Name.Name);

        // 200 bytes over windows of 24 new bytes after the first: 9 requests, every byte predicted once.
        Assert.Equal(9, states.Count);
        // The run stat is the mean over windows; their sum is every byte of the text.
        Assert.Equal(Encoding.UTF8.GetByteCount(text), stats["num_bytes"].Mean!.Value * states.Count, 1e-9);
        var logProbability = answered.Sum(a => a.Item2.Completions[0].Tokens.Skip(a.Item1.NumConditioningTokens).Sum(t => t.LogProbability));
        Assert.Equal(-logProbability / text.Length / Math.Log(2), stats["bits_per_byte"].Mean!.Value, 1e-9);
        // A barely trained byte model is close to uniform over 256 bytes: about 8 bits per byte.
        Assert.InRange(stats["bits_per_byte"].Mean!.Value, 6, 10);
    }
}
