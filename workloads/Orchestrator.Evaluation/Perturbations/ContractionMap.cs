namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// The contraction table HELM uses (augmentations/contraction_expansion_perturbation.py, from NL-Augmenter's
/// contraction_expansions transformation). Order matters: regex alternatives are tried in this order, as in HELM.
/// </summary>
internal static class ContractionMap
{
    public static IReadOnlyList<(string Contraction, string Expansion)> Entries { get; } =
    [
        ("ain't", "is not"), ("aren't", "are not"), ("can't", "cannot"), ("can't've", "cannot have"),
        ("could've", "could have"), ("couldn't", "could not"), ("didn't", "did not"), ("doesn't", "does not"),
        ("don't", "do not"), ("hadn't", "had not"), ("hasn't", "has not"), ("haven't", "have not"),
        ("he'd", "he would"), ("he'd've", "he would have"), ("he'll", "he will"), ("he's", "he is"),
        ("how'd", "how did"), ("how'd'y", "how do you"), ("how'll", "how will"), ("how's", "how is"),
        ("I'd", "I would"), ("I'll", "I will"), ("I'm", "I am"), ("I've", "I have"), ("i'd", "i would"),
        ("i'll", "i will"), ("i'm", "i am"), ("i've", "i have"), ("isn't", "is not"), ("it'd", "it would"),
        ("it'll", "it will"), ("it's", "it is"), ("ma'am", "madam"), ("might've", "might have"),
        ("mightn't", "might not"), ("must've", "must have"), ("mustn't", "must not"), ("needn't", "need not"),
        ("oughtn't", "ought not"), ("shan't", "shall not"), ("she'd", "she would"), ("she'll", "she will"),
        ("she's", "she is"), ("should've", "should have"), ("shouldn't", "should not"), ("that'd", "that would"),
        ("that's", "that is"), ("there'd", "there would"), ("there's", "there is"), ("they'd", "they would"),
        ("they'll", "they will"), ("they're", "they are"), ("they've", "they have"), ("wasn't", "was not"),
        ("we'd", "we would"), ("we'll", "we will"), ("we're", "we are"), ("we've", "we have"),
        ("weren't", "were not"), ("what're", "what are"), ("what's", "what is"), ("when's", "when is"),
        ("where'd", "where did"), ("where's", "where is"), ("where've", "where have"), ("who'll", "who will"),
        ("who's", "who is"), ("who've", "who have"), ("why's", "why is"), ("won't", "will not"),
        ("would've", "would have"), ("wouldn't", "would not"), ("you'd", "you would"), ("you'd've", "you would have"),
        ("you'll", "you will"), ("you're", "you are"), ("you've", "you have"),
    ];

    /// <summary>Contraction to expansion (a Python dict of the table).</summary>
    public static IReadOnlyDictionary<string, string> Expansions { get; } =
        Entries.ToDictionary(e => e.Contraction, e => e.Expansion, StringComparer.Ordinal);

    /// <summary>Expansion to contraction, the LAST contraction winning as in HELM's dict comprehension; keys in first-seen order.</summary>
    public static IReadOnlyList<(string Expansion, string Contraction)> Reverse { get; } =
        Entries.Select(e => e.Expansion).Distinct(StringComparer.Ordinal)
            .Select(expansion => (expansion, Entries.Last(e => e.Expansion == expansion).Contraction))
            .ToList();
}
