using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>ROUGE-L (rouge_score, stemmed) and BLEU-4 (NLTK sentence_bleu, weights (0,0,0,1)) worked by hand.</summary>
public sealed class RougeBleuTests
{
    [Fact]
    public void RougeLIsTheLcsFMeasure()
    {
        // target [the cat sat on the mat] (6), prediction [the cat on the mat] (5), LCS 5: P = 1, R = 5/6, F = 10/11
        Assert.Equal(10.0 / 11, RougeL.FMeasure("the cat sat on the mat", "the cat on the mat"), 12);

        // punctuation separates and case folds: [hello world] both sides -> 1
        Assert.Equal(1, RougeL.FMeasure("Hello, world!", "hello world"), 12);

        // nothing in common, or an empty prediction -> 0
        Assert.Equal(0, RougeL.FMeasure("alpha beta", "gamma"));
        Assert.Equal(0, RougeL.FMeasure("alpha beta", "  "));
    }

    [Fact]
    public void RougeLStemsWordsLongerThanThreeLetters()
    {
        // "running" -> "run", "dogs" -> "dog", "jumped" -> "jump"; "runs" -> "run"; "the"/"dog" (3 letters) as is.
        // target [run dog jump], prediction [the dog run]: LCS 1 -> P = R = 1/3 -> F = 1/3
        Assert.Equal(1.0 / 3, RougeL.FMeasure("Running dogs jumped", "the dog runs"), 12);
        Assert.Equal(["run", "dog", "jump"], RougeL.Tokenize("Running dogs jumped"));
    }

    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("relational", "relat")]
    [InlineData("hopping", "hop")]
    [InlineData("happy", "happi")]
    [InlineData("generalization", "gener")]
    [InlineData("agreed", "agre")]
    [InlineData("filing", "file")]
    [InlineData("skies", "sky")] // NLTK's irregular forms
    [InlineData("dies", "die")] // NLTK: four-letter "ies" -> "ie"
    [InlineData("spied", "spi")] // NLTK: "ied" -> "i" beyond four letters
    [InlineData("enjoy", "enjoy")] // NLTK: y -> i only after a consonant
    [InlineData("conditionally", "condit")] // alli -> al, then tional -> tion, then ion dropped (m > 1, stem ends t)
    [InlineData("geology", "geolog")] // step 1c y -> i, then NLTK's logi -> log
    public void PorterStemmerFollowsTheAlgorithm(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Fact]
    public void Bleu4IsBrevityPenaltyTimesTheFourGramPrecision()
    {
        // identical: p4 = 3/3, bp = 1
        Assert.Equal(1, Bleu4.Score("the cat sat on the mat", "the cat sat on the mat"), 12);

        // hypothesis 6 tokens, reference 7: all three 4-grams match, bp = exp(1 - 7/6)
        Assert.Equal(Math.Exp(1 - 7.0 / 6), Bleu4.Score("the cat sat on the mat today", "the cat sat on the mat"), 12);

        // 4-grams "one two three four", "two three four five" match, "three four five seven" not: p4 = 2/3, bp = 1
        Assert.Equal(2.0 / 3, Bleu4.Score("one two three four five six", "one two three four five seven"), 12);
    }

    [Fact]
    public void Bleu4FollowsNltkMethod0AtZeroCounts()
    {
        // no unigram in common: NLTK returns 0
        Assert.Equal(0, Bleu4.Score("a b c d", "x y z w"));

        // unigrams match but no 4-gram: method0 puts sys.float_info.min in place of p4, times bp = 1
        var tiny = Bleu4.Score("a b c d e", "a b c x e");
        Assert.True(tiny > 0);
        Assert.Equal(Bleu4.ZeroPrecision, tiny, Bleu4.ZeroPrecision * 1e-9);
    }
}
