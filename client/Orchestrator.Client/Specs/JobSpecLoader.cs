using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Client.Specs;

/// <summary>
/// Reads a <c>kind: TrainingJob</c> document in YAML or JSON (JSON is read as YAML's flow style) into a
/// <see cref="TrainingJobSpec"/>, or either kind (also <c>kind: EvaluationJob</c>) into a <see cref="JobDocument"/>,
/// refusing it with every error located by field path and line.
/// </summary>
public static class JobSpecLoader
{
    /// <summary>The vocabulary size the name <c>gpt2</c> stands for (GPT-2 BPE).</summary>
    public const int Gpt2Vocabulary = 50257;

    /// <summary>Reads and validates a document from a file.</summary>
    /// <exception cref="JobSpecException">The document is malformed or breaks a rule.</exception>
    public static async Task<TrainingJobSpec> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new JobSpecException([new SpecError("file", $"'{path}' does not exist")]);
        return Parse(await File.ReadAllTextAsync(path, cancellationToken));
    }

    /// <summary>Reads and validates a document.</summary>
    /// <exception cref="JobSpecException">The document is malformed or breaks a rule.</exception>
    public static TrainingJobSpec Parse(string text)
    {
        var root = ParseRoot(text);
        var context = new SpecReadContext();
        var spec = JobSpecReader.Read(new YamlObject(root, "", context));
        return Checked(spec, context, TrainingJobSpecValidator.Validate);
    }

    /// <summary>
    /// Reads and validates a document of either kind, <c>TrainingJob</c> or <c>EvaluationJob</c>, from a file. An
    /// evaluation's relative <c>file:</c> scenarios and profile files are made absolute against the document's folder,
    /// since the shards that read them run elsewhere.
    /// </summary>
    /// <exception cref="JobSpecException">The document is malformed or breaks a rule.</exception>
    public static async Task<JobDocument> LoadDocumentAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new JobSpecException([new SpecError("file", $"'{path}' does not exist")]);
        return ParseDocument(await File.ReadAllTextAsync(path, cancellationToken), Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Reads and validates a document of either kind; relative paths are resolved against <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="JobSpecException">The document is malformed or breaks a rule.</exception>
    public static JobDocument ParseDocument(string text, string baseDirectory)
    {
        var root = ParseRoot(text);
        var kind = root.Children.TryGetValue(new YamlScalarNode("kind"), out var node) ? (node as YamlScalarNode)?.Value : null;
        if (kind != EvaluationJobSpec.Kind) return new JobDocument(Parse(text), null);

        var context = new SpecReadContext();
        var document = new YamlObject(root, "", context);
        var apiVersion = document.String("apiVersion", required: true);
        if (apiVersion is not null && apiVersion != TrainingJobSpec.ApiVersion)
            document.Error("apiVersion", $"'{apiVersion}' is not supported; expected {TrainingJobSpec.ApiVersion}", document.Node("apiVersion"));
        document.Node("kind");
        var spec = EvaluationSpecReader.Read(document);
        return new JobDocument(null, EvaluationPaths.Resolve(Checked(spec, context, EvaluationJobSpecValidator.Validate), baseDirectory));
    }

    private static T Checked<T>(T? spec, SpecReadContext context, Func<T, IReadOnlyList<SpecError>> validate)
        where T : class
    {
        if (context.Errors.Count > 0) throw new JobSpecException(context.Errors);
        var ruleErrors = validate(spec!)
            .Select(e => e with { Line = context.LineOf(e.Path) })
            .ToList();
        if (ruleErrors.Count > 0) throw new JobSpecException(ruleErrors);
        return spec!;
    }

    private static YamlMappingNode ParseRoot(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new JobSpecException([new SpecError("document", $"malformed YAML/JSON: {e.InnerException?.Message ?? e.Message}", (int)e.Start.Line)]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The scanner reports some truncated documents this way, and the parser some stray events as ArgumentException.
            throw new JobSpecException([new SpecError("document", $"malformed YAML/JSON: {e.Message}")]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new JobSpecException([new SpecError("document", "must hold exactly one mapping (apiVersion, kind, metadata, spec)", 1)]);
        return root;
    }
}
