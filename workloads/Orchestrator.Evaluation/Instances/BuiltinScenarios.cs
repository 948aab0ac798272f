using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Evaluation.Instances;

/// <summary>
/// Scenarios over real public texts that npm's stdlib dataset packages ship (installed by the project's scripts, never
/// committed): language modelling on Moby-Dick's chapters and on the State of the Union addresses (scored in bits per
/// byte), spam classification on the SpamAssassin corpus, and word sentiment from the AFINN-111 lexicon.
/// </summary>
public static partial class BuiltinScenarios
{
    /// <summary>The environment variable naming the data root when a caller does not pass one.</summary>
    public const string DataRootVariable = "ORCH_EVAL_DATA";

    /// <summary>The data root under a repository checkout (where scripts/install-eval-data.sh installs).</summary>
    public const string RepositoryDataRoot = ".data/stdlib";

    // One in this many classification instances is a train instance (the in-context example pool); the rest are test.
    private const int TrainEvery = 5;

    // Mail bodies are long and mostly quoted text or markup; the classifier sees the subject and the body's start.
    private const int MailCharacters = 600;

    private static readonly Dictionary<string, Func<string, Scenario>> Loaders = new(StringComparer.Ordinal)
    {
        ["moby-dick"] = MobyDick,
        ["sotu"] = StateOfTheUnion,
        ["spam"] = Spam,
        ["sentiment"] = Sentiment,
    };

    /// <summary>The built-in scenario names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Loaders.Keys];

    /// <summary>Loads scenario <paramref name="name"/> from the datasets installed under <paramref name="dataRoot"/>.</summary>
    /// <exception cref="ArgumentException">Not a built-in scenario name (the allowed names are listed).</exception>
    /// <exception cref="DirectoryNotFoundException">Its dataset is not installed under the data root.</exception>
    public static Scenario Load(string name, string dataRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        return Loaders.TryGetValue(name ?? "", out var load)
            ? load(dataRoot)
            : throw new ArgumentException($"scenario '{name}' is not built in; built-in scenarios: {string.Join(", ", Names)}", nameof(name));
    }

    /// <summary>
    /// The data root to use: <paramref name="configured"/> when given, else <see cref="DataRootVariable"/>, else
    /// <see cref="RepositoryDataRoot"/> under the first directory from <paramref name="start"/> upwards that has one.
    /// </summary>
    public static string? ResolveDataRoot(string? configured, string start)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (Environment.GetEnvironmentVariable(DataRootVariable) is { Length: > 0 } variable)
        {
            return variable;
        }

        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RepositoryDataRoot);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // Each chapter (and the epilogue) is one document, in book order; HELM's language-modelling scenarios likewise
    // take whole documents as test instances without references.
    private static Scenario MobyDick(string dataRoot)
    {
        var directory = StdlibDatasets.DataDirectory(dataRoot, "moby-dick");
        var chapters = Directory.EnumerateFiles(directory, "chapter_*.json")
            .Select(path => (Number: int.Parse(Path.GetFileNameWithoutExtension(path)["chapter_".Length..], CultureInfo.InvariantCulture), Path: path))
            .OrderBy(c => c.Number)
            .Select(c => Document($"chapter-{c.Number}", c.Path))
            .ToList();
        var epilogue = Path.Combine(directory, "epilogue.json");
        if (File.Exists(epilogue))
        {
            chapters.Add(Document("epilogue", epilogue));
        }

        return new Scenario("moby-dick", chapters);
    }

    // One address per instance, ordered by year (then file name for two in one year).
    private static Scenario StateOfTheUnion(string dataRoot)
    {
        var directory = StdlibDatasets.DataDirectory(dataRoot, "sotu");
        var addresses = Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => Document(Path.GetFileNameWithoutExtension(path), path))
            .ToList();
        return new Scenario("sotu", addresses);
    }

    private static Scenario Spam(string dataRoot)
    {
        var directory = StdlibDatasets.DataDirectory(dataRoot, "spam-assassin");
        var mails = Directory.EnumerateDirectories(directory)
            .Order(StringComparer.Ordinal)
            .SelectMany(group => Directory.EnumerateFiles(group, "*.json").Order(StringComparer.Ordinal))
            .ToList();
        var instances = mails.Select((path, index) =>
        {
            var group = Path.GetFileName(Path.GetDirectoryName(path))!;
            var label = group.StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham";
            return new Instance(
                $"{group}/{Path.GetFileNameWithoutExtension(path).Split('.')[0]}",
                MailInput(StdlibDatasets.ReadField(path, "text")),
                Labels(label, "ham", "spam"),
                StdlibDatasets.SplitOf(index, TrainEvery));
        }).ToList();
        return new Scenario("spam", instances);
    }

    // AFINN-111 rates 2,477 English words from -5 to +5; a word's sentiment is the sign (the few rated 0 are left out).
    private static Scenario Sentiment(string dataRoot)
    {
        var path = Path.Combine(StdlibDatasets.DataDirectory(dataRoot, "afinn-111"), "words.csv");
        var rows = File.ReadLines(path).Skip(1)
            .Select(line => line.Split(','))
            .Where(fields => fields.Length == 2 && int.Parse(fields[1], CultureInfo.InvariantCulture) != 0)
            .ToList();
        var instances = rows.Select((fields, index) => new Instance(
            $"afinn-{index}",
            fields[0],
            Labels(int.Parse(fields[1], CultureInfo.InvariantCulture) > 0 ? "positive" : "negative", "negative", "positive"),
            StdlibDatasets.SplitOf(index, TrainEvery))).ToList();
        return new Scenario("sentiment", instances);
    }

    private static Instance Document(string id, string path) => new(id, StdlibDatasets.ReadField(path, "text"), [], Splits.Test);

    private static IReadOnlyList<Reference> Labels(string correct, params string[] labels) =>
        [.. labels.Select(label => new Reference(label, label == correct ? [Reference.CorrectTag] : []))];

    /// <summary>The subject and the start of the body of a raw mail, whitespace collapsed.</summary>
    internal static string MailInput(string raw)
    {
        var normalized = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = split < 0 ? normalized : normalized[..split];
        var body = split < 0 ? "" : normalized[(split + 2)..];
        var subject = SubjectHeader().Match(headers) is { Success: true } match ? match.Groups[1].Value.Trim() : "";
        var text = Whitespace().Replace(body, " ").Trim();
        return $"Subject: {subject}\n{(text.Length <= MailCharacters ? text : text[..MailCharacters])}";
    }

    [GeneratedRegex(@"^Subject:[ \t]*(.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SubjectHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
