using System.Text;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Workloads.Evaluation;
using Orchestrator.Workloads.Tests.Training;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Tests.Evaluation;

[Collection(TrainingCollection.Name)]
public sealed class BuiltinGptClientTests(BuiltinCheckpoints checkpoints) : IClassFixture<BuiltinCheckpoints>
{
    private const string Text = "Call me Ishmael. Some";

    [Fact]
    public async Task Echoed_log_probabilities_equal_a_direct_forward_pass_over_the_checkpoint_weights()
    {
        using var client = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned));
        using var direct = await BuiltinCheckpoints.DirectModelAsync(checkpoints.Unpartitioned);

        var result = await client.CompleteAsync(Echo(Text), default);

        var completion = Assert.Single(result.Completions);
        Assert.Equal(Text, completion.Text);
        var ids = Encoding.UTF8.GetBytes(Text).Select(b => (long)b).ToArray();
        using var logits = direct.forward(tensor(ids[..^1]).unsqueeze(0));
        using var logProbabilities = logits[0].to(ScalarType.Float64).log_softmax(-1);
        var expected = new[] { 0.0 }.Concat(ids.Skip(1).Select((id, i) => logProbabilities[i, id].item<double>())).ToArray();
        Assert.Equal(ids.Length, completion.Tokens.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(((char)ids[i]).ToString(), completion.Tokens[i].Text);
            Assert.Equal(expected[i], completion.Tokens[i].LogProbability, 1e-6);
        }

        Assert.Equal(expected.Sum(), completion.LogProbability, 1e-5);
        Assert.Equal($"builtin:{BuiltinCheckpoints.Job}@{BuiltinCheckpoints.Steps}", client.ModelId);
    }

    [Fact]
    public async Task Generation_with_the_key_value_cache_equals_generation_recomputing_the_whole_sequence()
    {
        using var client = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned));
        using var direct = await BuiltinCheckpoints.DirectModelAsync(checkpoints.Unpartitioned);
        const string prompt = "Call me";
        const int maxTokens = 12;

        var result = await client.CompleteAsync(new ModelRequest("builtin", prompt, 0, 2, 1, maxTokens, [], false), default);

        var sequence = Encoding.UTF8.GetBytes(prompt).Select(b => (long)b).ToList();
        var expected = new List<(long Id, double LogProbability)>();
        using (no_grad())
        {
            for (var step = 0; step < maxTokens; step++)
            {
                using var logits = direct.forward(tensor(sequence.ToArray()).unsqueeze(0));
                using var last = logits[0, -1].to(ScalarType.Float64).log_softmax(-1);
                var id = last.argmax().item<long>();
                expected.Add((id, last[id].item<double>()));
                sequence.Add(id);
            }
        }

        Assert.Equal(2, result.Completions.Count);
        var completion = result.Completions[0];
        Assert.Equal(maxTokens, completion.Tokens.Count);
        for (var i = 0; i < maxTokens; i++)
        {
            Assert.Equal(client.Window.Tokenizer.Decode([completion.Tokens[i].Text]), Encoding.UTF8.GetString([(byte)expected[i].Id]));
            Assert.Equal(expected[i].LogProbability, completion.Tokens[i].LogProbability, 1e-5);
        }
    }

    [Fact]
    public async Task A_checkpoint_saved_tensor_and_pipeline_parallel_loads_to_the_same_outputs_as_one_saved_unpartitioned()
    {
        using var unpartitioned = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned));
        using var partitioned = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Partitioned));
        var request = new ModelRequest("builtin", Text, 0, 1, 1, 8, [], true);

        var a = Assert.Single((await unpartitioned.CompleteAsync(request, default)).Completions);
        var b = Assert.Single((await partitioned.CompleteAsync(request, default)).Completions);

        Assert.Equal(a.Text, b.Text);
        Assert.Equal(a.Tokens.Select(t => t.Text), b.Tokens.Select(t => t.Text));
        // The two layouts reduce in another order during training: equal up to float32 rounding.
        Assert.All(a.Tokens.Zip(b.Tokens), pair => Assert.Equal(pair.First.LogProbability, pair.Second.LogProbability, 1e-4));
    }

    [Fact]
    public async Task Generation_stops_at_a_stop_sequence_and_at_the_context_end()
    {
        using var client = BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned));
        var free = Assert.Single((await client.CompleteAsync(new ModelRequest("b", "Call me", 0, 1, 1, 10, [], false), default)).Completions);
        var stop = free.Text.Substring(3, 2);
        var cut = Assert.Single((await client.CompleteAsync(new ModelRequest("b", "Call me", 0, 1, 1, 10, [stop], false), default)).Completions);
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], cut.Text);
        Assert.Equal(cut.Text, client.Window.Tokenizer.Decode([.. cut.Tokens.Select(t => t.Text)]));

        // 20 prompt bytes leave 24 − 20 + 1 = 5 tokens before the model's 24 positions are full.
        var full = Assert.Single((await client.CompleteAsync(new ModelRequest("b", new string('a', 20), 0, 1, 1, 50, [], false), default)).Completions);
        Assert.Equal(5, full.Tokens.Count);
        Assert.Equal(25, client.Window.MaxRequestLength);
    }

    [Fact]
    public void Bad_sources_are_refused_with_what_is_wrong()
    {
        var missing = Assert.Throws<ArgumentException>(() =>
            BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned) with { Step = 7 }));
        Assert.Contains("no checkpoint at step 7", missing.Message);
        Assert.Contains($"{BuiltinCheckpoints.Steps}", missing.Message);

        var vocabulary = Assert.Throws<ArgumentException>(() =>
            BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned) with { Model = BuiltinCheckpoints.Model with { Vocabulary = 1000 } }));
        Assert.Contains("model.vocabulary", vocabulary.Message);

        var shape = Assert.Throws<ArgumentException>(() =>
            BuiltinGptClient.Open(BuiltinCheckpoints.Source(checkpoints.Unpartitioned) with { Model = BuiltinCheckpoints.Model with { Hidden = 64 } }));
        Assert.Contains("Hidden", shape.Message);
    }

    private static ModelRequest Echo(string prompt) => new("builtin", prompt, 0, 1, 1, 0, [], true);
}
