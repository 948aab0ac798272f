namespace Orchestrator.Evaluation.Perturbations;

/// <summary>HELM's <c>match_case</c> (common/general.py): give the replacement the case pattern of the replaced word.</summary>
internal static class CaseMatcher
{
    public static string Match(string source, string target)
    {
        if (source.All(char.IsLower))
        {
            return target.ToLowerInvariant();
        }

        if (source.All(char.IsUpper))
        {
            return target.ToUpperInvariant();
        }

        return source.Length > 0 && char.IsUpper(source[0]) ? Capitalize(target) : target;
    }

    /// <summary>Python's <c>str.capitalize</c>: first character upper, the rest lower.</summary>
    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();
}
