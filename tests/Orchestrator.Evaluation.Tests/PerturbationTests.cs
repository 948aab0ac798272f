using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Perturbations;

namespace Orchestrator.Evaluation.Tests;

/// <summary>Perturbations against HELM's code run under CPython 3 with the same instance ids and seeds.</summary>
public sealed class PerturbationTests
{
    private const string Sentence = "After their marriage, she started a close collaboration with Karvelas.";

    private static string Perturb(Perturbation perturbation, string text, string id = "q1", int? seed = null) =>
        perturbation.Apply(new Instance(id, text, [], Splits.Test), seed).Input;

    [Fact]
    public void TyposMatchHelmForTheSameInstanceAndSeed()
    {
        // HELM TyposPerturbation(prob) with Random("q1"), Random("7q1"), under CPython 3
        Assert.Equal("Artfr their marriage, ehe staryes a close collaboration with Karvelas.", Perturb(new TyposPerturbation(0.1), Sentence));
        Assert.Equal("After tbeir marrjage, she started a cpoae colpaboeation with Karvelas.", Perturb(new TyposPerturbation(0.1), Sentence, seed: 7));
        Assert.Equal("Artfg fbeir mwreiqgr, abe xtaefex s cllse ckopaboeatiln witg Mafcepws.", Perturb(new TyposPerturbation(0.5), Sentence));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TyposPerturbation(1.5));
    }

    [Fact]
    public void SimpleRobustnessPerturbations()
    {
        Assert.Equal("she's a doctor", Perturb(new LowerCasePerturbation(), "She's a DOCTOR"));
        Assert.Equal("a   b   c", Perturb(new ExtraSpacePerturbation(3), "a b c"));

        // HELM's docstring examples; a sentence-final expansion is not contracted (needs a following space)
        Assert.Equal("She's a doctor, and I'm a student", Perturb(new ContractionPerturbation(), "She is a doctor, and I am a student"));
        Assert.Equal("She is a doctor, and I am a student", Perturb(new ExpansionPerturbation(), "She's a doctor, and I'm a student"));

        // leftmost match first, as Python's re: "It will " is contracted before "will not" can match
        Assert.Equal("It'll not. They're done", Perturb(new ContractionPerturbation(), "It will not. They are done"));
    }

    [Fact]
    public void DialectMatchesHelmsSubstitutionRules()
    {
        const string text = " I went with them because This friend was going , you know that thing about your brother ";

        // HELM DialectPerturbation over the same word list with Random("d1"): matches consume their delimiters, so
        // "them" after "with " and "This" after "because " are never candidates
        Assert.Equal(" I went with them cause This homie was goin , you know that thing bout your bruh ",
            Perturb(new DialectPerturbation(0.5), text, "d1"));
        Assert.Equal(" I went wit them cause This homie was goin , you know dat thing bout your bruh ",
            Perturb(new DialectPerturbation(1.0), text, "d1"));
    }

    [Fact]
    public void DialectReadsAMappingFileInHelmsFormat()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"going to": ["finna"], "is": ["be"]}""");
            Assert.Equal(" She finna win, he be here ", Perturb(DialectPerturbation.FromMappingFile(1.0, path), " She going to win, he is here "));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FairnessPerturbationsRewriteReferencesAndKeepNamesConsistent()
    {
        Assert.Equal("Today the man left.", Perturb(new GenderPerturbation(1.0, toFemale: false), "Today the woman left."));
        var instance = Fixtures.Question("q1", "Today the man and his son left.", Splits.Test, (" the man ", true));
        var perturbed = new GenderPerturbation(1.0).Apply(instance);
        Assert.Equal("Today the woman and his daughter left.", perturbed.Input);
        Assert.Equal(" the woman ", perturbed.References[0].Output);
        Assert.Equal(new PerturbationDescription("gender", Fairness: true), perturbed.Perturbation);

        var names = Perturb(new PersonNamePerturbation(1.0, "white_male", "black_male"), "Today Greg met greg. ");
        var words = names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(words[1].ToLowerInvariant(), PersonNamePerturbation.NameGroups["black_male"]);
        Assert.True(char.IsUpper(words[1][0]));
        Assert.Equal(words[1].ToLowerInvariant() + ".", words[3]);
        Assert.Throws<ArgumentException>(() => new PersonNamePerturbation(1.0, "white_male", "martian"));
    }

    [Fact]
    public void DeterministicPerSeedAndInstanceAndAugmentKeepsOriginals()
    {
        var typos = new TyposPerturbation(0.3);
        Assert.Equal(Perturb(typos, Sentence, "x9", 4), Perturb(typos, Sentence, "x9", 4));
        Assert.NotEqual(Perturb(typos, Sentence, "x9", 4), Perturb(typos, Sentence, "x8", 4));

        var train = Fixtures.Question("t1", "train text", Splits.Train, ("a", true));
        var test = Fixtures.Question("q1", "test text", Splits.Test, ("b", true));
        var augmented = Perturbation.Augment([train, test], [new LowerCasePerturbation(), typos], seed: 1);
        Assert.Equal(["t1", "q1", "q1", "q1"], augmented.Select(i => i.Id));
        Assert.Equal([null, null, "lowercase", "typos"], augmented.Select(i => i.Perturbation?.Name));
        Assert.Equal(1, augmented[3].Perturbation!.Seed);
        Assert.True(augmented[3].Perturbation!.Robustness);
    }
}
