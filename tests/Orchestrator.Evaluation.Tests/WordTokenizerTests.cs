using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>Outputs of NLTK's word_tokenize from its documentation and docstrings.</summary>
public sealed class WordTokenizerTests
{
    [Fact]
    public void NltkDocumentationExample() =>
        Assert.Equal(
            ["Good", "muffins", "cost", "$", "3.88", "in", "New", "York", ".", "Please", "buy", "me", "two", "of", "them", ".", "Thanks", "."],
            WordTokenizer.Tokenize("Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks."));

    [Fact]
    public void CliticsAreSplitOff()
    {
        Assert.Equal(["They", "'ll", "save", "and", "invest", "more", "."], WordTokenizer.Tokenize("They'll save and invest more."));
        Assert.Equal(["hi", ",", "my", "name", "ca", "n't", "hello", ","], WordTokenizer.Tokenize("hi, my name can't hello,"));
    }

    [Fact]
    public void QuotesBracketsAndKeptSymbols()
    {
        Assert.Equal(["He", "said", "``", "hi", "''", "."], WordTokenizer.Tokenize("He said \"hi\"."));
        Assert.Equal(["(", "2+2", ")", "is", "well-known", "..."], WordTokenizer.Tokenize("(2+2) is well-known..."));
        Assert.Equal(["Mr.", "Smith", "left", "."], WordTokenizer.Tokenize("Mr. Smith left."));
    }
}
