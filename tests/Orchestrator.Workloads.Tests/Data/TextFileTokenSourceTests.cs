using Orchestrator.Workloads.Data;

namespace Orchestrator.Workloads.Tests.Data;

public sealed class TextFileTokenSourceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"orchestrator-corpus-{Guid.NewGuid():N}.txt");

    public TextFileTokenSourceTests() =>
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat("Call me Ishmael. Some years ago, never mind how long precisely, I went to sea. ", 20)));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Windows_of_gpt2_bpe_tokens_are_drawn_deterministically_from_the_file()
    {
        var source = (TextFileTokenSource)TokenSources.Create("file:" + _path, 50257, 16, seed: 3);
        Assert.Equal(TextFileTokenSource.Gpt2VocabularySize, source.VocabularySize);
        // "Call me Ishmael." is 5 GPT-2 tokens: Call, ' me', ' Ish', 'mael', '.'
        Assert.InRange(source.Length, 20 * 15, 20 * 25);
        var a = new long[17];
        var b = new long[17];
        source.Fill(5, 1, a);
        TokenSources.Create("file:" + _path, 50257, 16, seed: 3).Fill(5, 1, b);
        Assert.Equal(a, b);
        Assert.All(a, t => Assert.InRange(t, 0, 50256));
    }

    [Fact]
    public void A_model_vocabulary_smaller_than_gpt2s_is_refused_naming_both_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => TokenSources.Create("file:" + _path, 256, 16, seed: 3));
        Assert.Contains("256", error.Message, StringComparison.Ordinal);
        Assert.Contains("50257", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_sources_and_missing_files_are_refused()
    {
        Assert.Contains("allowed: synthetic, file:PATH", Assert.Throws<ArgumentException>(() => TokenSources.Create("s3://bucket", 256, 16, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => TokenSources.Create("file:/no/such/file.txt", 50257, 16, 1)).Message, StringComparison.Ordinal);
    }
}
