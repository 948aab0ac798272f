namespace Orchestrator.Contracts.Lineage;

/// <summary>
/// Names a model version as users write it, <c>NAME@VERSION</c>: the model's name (a training job's
/// <c>metadata.name</c>) and a version number, a tag set with <c>orch models tag</c>, or <c>latest</c>.
/// </summary>
/// <param name="Name">The model: ASCII letters, digits, '.', '_' and '-'.</param>
/// <param name="Version">A version number (1, 2, ...), a tag, or <c>latest</c>.</param>
[GenerateSerializer, Immutable]
public sealed record ModelReference([property: Id(0)] string Name, [property: Id(1)] string Version)
{
    /// <summary>The version text that always means the newest version of a model.</summary>
    public const string Latest = "latest";

    /// <summary>Parses <c>NAME@VERSION</c>.</summary>
    /// <param name="text">What the user wrote.</param>
    /// <param name="field">The field or argument it came from, named in the error.</param>
    /// <exception cref="ArgumentException">Not of the form NAME@VERSION; the message names <paramref name="field"/> and what is allowed.</exception>
    public static ModelReference Parse(string? text, string field) =>
        TryParse(text, out var reference, out var problem) ? reference : throw new ArgumentException($"{field}: {problem}", field);

    /// <summary>Parses <c>NAME@VERSION</c>, or says what is wrong with it.</summary>
    public static bool TryParse(string? text, out ModelReference reference, out string problem)
    {
        reference = new ModelReference("", "");
        var at = text?.IndexOf('@') ?? -1;
        if (text is null || at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1)
        {
            problem = $"'{text}' is not a model version: write NAME@VERSION, e.g. gpt-base@1, gpt-base@prod or gpt-base@latest";
            return false;
        }

        var (name, version) = (text[..at], text[(at + 1)..]);
        if (!IsName(name))
        {
            problem = $"model name '{name}' may contain only ASCII letters, digits, '.', '_' and '-' (at most 128)";
            return false;
        }

        if (!IsName(version))
        {
            problem = $"version '{version}' must be a number, a tag (letters, digits, '.', '_', '-') or 'latest'";
            return false;
        }

        reference = new ModelReference(name, version);
        problem = "";
        return true;
    }

    /// <summary>Whether <paramref name="text"/> can be a model name or a tag: 1-128 ASCII letters, digits, '.', '_' or '-', not "." or "..".</summary>
    public static bool IsName(string text) =>
        text.Length is > 0 and <= 128 && text is not "." and not ".." && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <inheritdoc />
    public override string ToString() => $"{Name}@{Version}";
}
