namespace Orchestrator.Workloads.Data;

/// <summary>Turns a data source string into a source: <c>synthetic</c> or <c>file:PATH</c>.</summary>
internal static class TokenSources
{
    public static ITokenSource Create(string source, int vocabulary, int sequenceLength, long seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ITokenSource created;
        if (string.Equals(source, SyntheticTokenSource.Name, StringComparison.OrdinalIgnoreCase))
        {
            created = new SyntheticTokenSource(vocabulary, seed);
        }
        else if (source.StartsWith(TextFileTokenSource.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            created = TextFileTokenSource.Load(source[TextFileTokenSource.Prefix.Length..], sequenceLength, seed);
        }
        else
        {
            throw new ArgumentException($"data source '{source}' is unknown; allowed: {SyntheticTokenSource.Name}, {TextFileTokenSource.Prefix}PATH", nameof(source));
        }

        if (created.VocabularySize > vocabulary)
            throw new ArgumentException($"the model's vocabulary ({vocabulary}) is smaller than data source '{source}' needs ({created.VocabularySize})", nameof(vocabulary));
        return created;
    }
}
