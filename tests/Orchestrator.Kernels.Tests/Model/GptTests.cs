using Orchestrator.Kernels.Model;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Model;

public sealed class GptTests
{
    private static readonly GptConfig Small = new(Layers: 2, Hidden: 32, Heads: 4, Vocabulary: 64, SequenceLength: 16);

    [Fact]
    public void Loss_at_initialisation_is_close_to_uniform_guessing()
    {
        using var model = new Gpt(Small, seed: 1);
        var (tokens, targets) = Batch(seed: 2, batch: 4);

        using var loss = model.Loss(tokens, targets);

        Assert.InRange(loss.item<float>(), Math.Log(64) - 0.3, Math.Log(64) + 0.3);
    }

    [Fact]
    public void The_same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        using var a = new Gpt(Small, seed: 7);
        using var b = new Gpt(Small, seed: 7);
        using var c = new Gpt(Small, seed: 8);

        var names = a.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(GptParameterNames.All(Small).Select(p => p.Name), names);
        Assert.All(names, n => Assert.True(a.Parameter(n).allclose(b.Parameter(n), rtol: 0, atol: 0), n));
        Assert.False(a.Parameter("layers.1.mlp.up.weight").allclose(c.Parameter("layers.1.mlp.up.weight"), rtol: 0, atol: 0));
    }

    [Fact]
    public void A_later_token_does_not_change_earlier_logits()
    {
        using var model = new Gpt(Small, seed: 3);
        var (tokens, _) = Batch(seed: 4, batch: 1);
        using var changed = tokens.clone();
        changed[0, 10] = tensor((tokens[0, 10].item<long>() + 1) % 64);

        using var before = model.forward(tokens);
        using var after = model.forward(changed);

        Assert.True(before.narrow(1, 0, 10).allclose(after.narrow(1, 0, 10), rtol: 0, atol: 1e-6));
        Assert.False(before.narrow(1, 10, 1).allclose(after.narrow(1, 10, 1), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void A_few_optimizer_steps_on_one_batch_lower_the_loss()
    {
        using var model = new Gpt(Small, seed: 5);
        var (tokens, targets) = Batch(seed: 6, batch: 4);
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-2);

        float first = 0, last = 0;
        for (var step = 0; step < 8; step++)
        {
            optimizer.zero_grad();
            using var loss = model.Loss(tokens, targets);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            first = step == 0 ? last : first;
        }

        Assert.True(last < first - 0.5, $"loss went from {first} to {last}");
    }

    [Theory]
    [InlineData(0, 32, 4, 64, 16, "Layers")]
    [InlineData(2, 30, 4, 64, 16, "Heads")]
    [InlineData(2, 32, 4, 1, 16, "Vocabulary")]
    [InlineData(2, 32, 4, 64, 0, "SequenceLength")]
    public void A_bad_shape_is_refused_naming_the_field(int layers, int hidden, int heads, int vocabulary, int sequence, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new Gpt(new GptConfig(layers, hidden, heads, vocabulary, sequence), seed: 1));

        Assert.Equal(field, error.ParamName);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Tokens_longer_than_the_sequence_length_are_refused()
    {
        using var model = new Gpt(Small, seed: 1);
        using var tokens = zeros(1, 17, ScalarType.Int64);

        Assert.Throws<ArgumentException>(() => model.forward(tokens));
    }

    internal static (Tensor Tokens, Tensor Targets) Batch(long seed, int batch)
    {
        using var generator = new Generator((ulong)seed);
        var stream = randint(0, 64, [batch, 17], ScalarType.Int64, generator: generator);
        return (stream.narrow(1, 0, 16).contiguous(), stream.narrow(1, 1, 16).contiguous());
    }
}
