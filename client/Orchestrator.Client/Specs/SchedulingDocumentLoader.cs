using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Client.Specs;

/// <summary>
/// Reads a YAML stream of <c>kind: Queue</c> and <c>kind: PriorityClass</c> documents (separated by <c>---</c>) for
/// <c>orch apply</c>, refusing it with every error located by field path (<c>documents[i].spec...</c>) and line.
/// </summary>
public static class SchedulingDocumentLoader
{
    /// <summary>The kinds <c>orch apply</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Kinds = [QueueSpec.Kind, PriorityClassSpec.Kind];

    /// <summary>Reads and validates the documents of a file.</summary>
    /// <exception cref="JobSpecException">The file is missing or malformed, or a document breaks a rule.</exception>
    public static async Task<SchedulingDocuments> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new JobSpecException([new SpecError("file", $"'{path}' does not exist")], "scheduling document");
        return Parse(await File.ReadAllTextAsync(path, cancellationToken));
    }

    /// <summary>Reads and validates the documents of a YAML stream.</summary>
    /// <exception cref="JobSpecException">The text is malformed or a document breaks a rule.</exception>
    public static SchedulingDocuments Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new JobSpecException([new SpecError("document", $"malformed YAML: {e.InnerException?.Message ?? e.Message}", (int)e.Start.Line)], "scheduling document");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new JobSpecException([new SpecError("document", $"malformed YAML: {e.Message}")], "scheduling document");
        }

        var context = new SpecReadContext();
        var queues = new List<(QueueSpec Spec, string At)>();
        var classes = new List<(PriorityClassSpec Spec, string At)>();
        var documents = stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).ToList();
        for (var i = 0; i < documents.Count; i++)
        {
            var at = $"documents[{i}]";
            if (documents[i].RootNode is not YamlMappingNode root)
            {
                context.Errors.Add(new SpecError(at, "must be a mapping (apiVersion, kind, metadata, spec)", YamlObject.LineOf(documents[i].RootNode)));
                continue;
            }

            var document = new YamlObject(root, at, context);
            switch (SchedulingDocumentReader.Read(document))
            {
                case QueueSpec queue:
                    queues.Add((queue, at));
                    break;
                case PriorityClassSpec priorityClass:
                    classes.Add((priorityClass, at));
                    break;
            }
        }

        if (documents.Count == 0)
            context.Errors.Add(new SpecError("document", $"holds no document; expected one or more of kind {string.Join(" or ", Kinds)}", 1));
        var errors = context.Errors.ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(queues.SelectMany(q => SchedulingDocumentsValidator.ValidateQueue(q.Spec, q.At)));
            errors.AddRange(classes.SelectMany(c => SchedulingDocumentsValidator.ValidatePriorityClass(c.Spec, c.At)));
            errors.AddRange(Duplicates(queues, QueueSpec.Kind, q => q.Name));
            errors.AddRange(Duplicates(classes, PriorityClassSpec.Kind, c => c.Name));
            errors = errors.Select(e => e with { Line = e.Line ?? context.LineOf(e.Path) }).ToList();
        }

        if (errors.Count > 0) throw new JobSpecException(errors, "scheduling document");
        return new SchedulingDocuments(queues.Select(q => q.Spec).ToList(), classes.Select(c => c.Spec).ToList());
    }

    private static IEnumerable<SpecError> Duplicates<T>(List<(T Spec, string At)> documents, string kind, Func<T, string> name) =>
        documents.GroupBy(d => name(d.Spec), StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => new SpecError($"{g.Last().At}.metadata.name", $"{kind} '{g.Key}' is also defined by {g.First().At}; each name once per file"));
}
