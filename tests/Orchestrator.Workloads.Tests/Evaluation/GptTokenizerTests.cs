using Microsoft.ML.Tokenizers;
using Orchestrator.Workloads.Evaluation;

namespace Orchestrator.Workloads.Tests.Evaluation;

public sealed class GptTokenizerTests
{
    [Fact]
    public void Byte_tokens_spell_partial_characters_as_escapes_and_round_trip()
    {
        var tokenizer = GptTokenizer.For(256);

        var tokens = tokenizer.Encode("né");

        Assert.Equal(["n", "bytes:\\xc3", "bytes:\\xa9"], tokens);
        Assert.Equal("né", tokenizer.Decode(tokens));
        Assert.Equal("", tokenizer.PrefixToken);
    }

    [Fact]
    public void Gpt2_tokens_match_the_tokenizer_and_keep_the_bytes_of_split_characters()
    {
        var tokenizer = GptTokenizer.For(50_257);
        var reference = TiktokenTokenizer.CreateForModel("gpt2");
        const string text = "Call me Ishmael — naïve café, 日本語 🐋.";

        var ids = tokenizer.EncodeIds(text);
        var tokens = tokenizer.Encode(text);

        Assert.Equal(reference.EncodeToIds(text), ids);
        Assert.Equal(text, tokenizer.Decode(tokens));
        Assert.Equal(text, tokenizer.DecodeIds(ids));
        Assert.Equal("Call", tokens[0]);
        Assert.Equal(" me", tokens[1]);
        // The whale emoji is split across byte tokens that are not whole characters.
        Assert.Contains(tokens, t => t.StartsWith("bytes:\\x", StringComparison.Ordinal));
        Assert.Equal("<|endoftext|>", tokenizer.PrefixToken);
        // The prefix token of language-modelling windows is GPT-2's one special token, id 50256, spelled as itself.
        Assert.Equal([50256], tokenizer.EncodeIds("<|endoftext|>"));
        Assert.Equal("<|endoftext|>", tokenizer.TokenText(50256));
    }

    [Fact]
    public void Other_vocabularies_are_refused_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => GptTokenizer.For(1000));
        Assert.Contains("model.vocabulary", error.Message);
        Assert.Contains("50257", error.Message);
    }
}
