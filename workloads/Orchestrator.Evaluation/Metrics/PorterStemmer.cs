namespace Orchestrator.Evaluation.Metrics;

/// <summary>
/// The Porter (1980) stemmer as rouge_score calls it through NLTK (<c>PorterStemmer()</c>, NLTK_EXTENSIONS mode): the
/// original five steps with NLTK's extensions: its table of irregular forms (<c>skies</c>, <c>dying</c>, ...),
/// <c>ies</c>/<c>ied</c> on four-letter words, <c>y</c> → <c>i</c> only after a consonant that is not the first letter,
/// two-letter vowel-consonant stems counting as *o, <c>alli</c> → <c>al</c> first and re-run, and the step-2 rules
/// <c>bli</c>, <c>fulli</c>, <c>lessli</c>, <c>logi</c>. Written here because no maintained .NET package ships this variant.
/// </summary>
internal static class PorterStemmer
{
    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("fulli", "ful"), ("lessli", "less"),
    ];

    private static readonly Dictionary<string, string> IrregularForms = new(StringComparer.Ordinal)
    {
        ["skies"] = "sky", ["sky"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie", ["news"] = "news",
        ["innings"] = "inning", ["inning"] = "inning", ["outings"] = "outing", ["outing"] = "outing",
        ["cannings"] = "canning", ["canning"] = "canning", ["howe"] = "howe", ["proceed"] = "proceed",
        ["exceed"] = "exceed", ["succeed"] = "succeed",
    };

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
        "iti", "ous", "ive", "ize",
    ];

    public static string Stem(string word)
    {
        if (IrregularForms.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (word.Length <= 2)
        {
            return word;
        }

        var w = Step1A(word);
        w = Step1B(w);
        w = Step1C(w);
        w = Step2(w);
        w = ApplyFirstMatch(w, Step3Rules, stem => Measure(stem) > 0);
        w = Step4(w);
        return Step5(w);
    }

    private static bool IsConsonant(string w, int i) =>
        w[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(w, i - 1),
            _ => true,
        };

    /// <summary>m in Porter's [C](VC)^m[V]: the number of vowel-consonant sequences.</summary>
    private static int Measure(string stem)
    {
        var m = 0;
        var i = 0;
        while (i < stem.Length && IsConsonant(stem, i)) i++;
        while (i < stem.Length)
        {
            while (i < stem.Length && !IsConsonant(stem, i)) i++;
            if (i >= stem.Length) break;
            m++;
            while (i < stem.Length && IsConsonant(stem, i)) i++;
        }

        return m;
    }

    private static bool HasVowel(string stem) => Enumerable.Range(0, stem.Length).Any(i => !IsConsonant(stem, i));

    private static bool EndsDoubleConsonant(string w) =>
        w.Length >= 2 && w[^1] == w[^2] && IsConsonant(w, w.Length - 1);

    /// <summary>*o: ends consonant-vowel-consonant, the last not w, x or y.</summary>
    private static bool EndsCvc(string w) =>
        (w.Length >= 3 && IsConsonant(w, w.Length - 3) && !IsConsonant(w, w.Length - 2) &&
         IsConsonant(w, w.Length - 1) && w[^1] is not ('w' or 'x' or 'y')) ||
        (w.Length == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1));

    private static string Step2(string w)
    {
        // NLTK applies ALLI -> AL before the list and runs step 2 again on the result.
        if (w.EndsWith("alli", StringComparison.Ordinal) && Measure(w[..^4]) > 0)
        {
            return Step2(w[..^4] + "al");
        }

        // LOGI -> LOG (no other rule ends in "gi"); NLTK keeps the 'l' with the stem when measuring, so short
        // stems such as 'geo' qualify.
        if (w.EndsWith("logi", StringComparison.Ordinal))
        {
            return Measure(w[..^3]) > 0 ? w[..^1] : w;
        }

        return ApplyFirstMatch(w, Step2Rules, stem => Measure(stem) > 0);
    }

    private static string Step1A(string w)
    {
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length == 4) return w[..^1];
        if (w.EndsWith("sses", StringComparison.Ordinal)) return w[..^2];
        if (w.EndsWith("ies", StringComparison.Ordinal)) return w[..^2];
        if (w.EndsWith("ss", StringComparison.Ordinal)) return w;
        return w.EndsWith('s') ? w[..^1] : w;
    }

    private static string Step1B(string w)
    {
        if (w.EndsWith("ied", StringComparison.Ordinal)) return w.Length == 4 ? w[..^1] : w[..^3] + "i";
        if (w.EndsWith("eed", StringComparison.Ordinal)) return Measure(w[..^3]) > 0 ? w[..^1] : w;

        string stem;
        if (w.EndsWith("ed", StringComparison.Ordinal) && HasVowel(w[..^2])) stem = w[..^2];
        else if (w.EndsWith("ing", StringComparison.Ordinal) && HasVowel(w[..^3])) stem = w[..^3];
        else return w;

        if (stem.EndsWith("at", StringComparison.Ordinal) || stem.EndsWith("bl", StringComparison.Ordinal) ||
            stem.EndsWith("iz", StringComparison.Ordinal)) return stem + "e";
        if (EndsDoubleConsonant(stem) && stem[^1] is not ('l' or 's' or 'z')) return stem[..^1];
        return Measure(stem) == 1 && EndsCvc(stem) ? stem + "e" : stem;
    }

    private static string Step1C(string w) =>
        w.EndsWith('y') && w.Length > 2 && IsConsonant(w, w.Length - 2) ? w[..^1] + "i" : w;

    private static string ApplyFirstMatch(string w, (string Suffix, string Replacement)[] rules, Func<string, bool> condition)
    {
        foreach (var (suffix, replacement) in rules)
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = w[..^suffix.Length];
                return condition(stem) ? stem + replacement : w;
            }
        }

        return w;
    }

    private static string Step4(string w)
    {
        foreach (var suffix in Step4Suffixes)
        {
            if (!w.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var stem = w[..^suffix.Length];
            if (suffix == "ion" && !(stem.Length > 0 && stem[^1] is 's' or 't')) return w;
            return Measure(stem) > 1 ? stem : w;
        }

        return w;
    }

    private static string Step5(string w)
    {
        if (w.EndsWith('e'))
        {
            var stem = w[..^1];
            var m = Measure(stem);
            if (m > 1 || (m == 1 && !EndsCvc(stem))) w = stem;
        }

        return w.EndsWith("ll", StringComparison.Ordinal) && Measure(w) > 1 ? w[..^1] : w;
    }
}
