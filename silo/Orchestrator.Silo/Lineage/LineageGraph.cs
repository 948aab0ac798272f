using System.Globalization;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>Queries over the persisted lineage: resolving references, parents and children, edges, families, scores.</summary>
internal sealed class LineageGraph(LineageRecord record)
{
    public LineageRecord Record => record;

    /// <summary>The version a reference names (a number, a tag or <c>latest</c>).</summary>
    /// <exception cref="ArgumentException">Malformed, or no such model or version; the message lists what exists.</exception>
    public ModelVersionRecord Resolve(string text, string field = "reference")
    {
        var reference = ModelReference.Parse(text, field);
        var versions = record.Versions.Where(v => v.Name == reference.Name).ToList();
        if (versions.Count == 0)
        {
            var known = record.Versions.Select(v => v.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            throw new ArgumentException($"{field}: no model named '{reference.Name}' is registered; known models: {(known.Count == 0 ? "none" : string.Join(", ", known))}", field);
        }

        if (reference.Version == ModelReference.Latest) return versions.MaxBy(v => v.Version)!;
        if (int.TryParse(reference.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return versions.FirstOrDefault(v => v.Version == number)
                ?? throw new ArgumentException($"{field}: model '{reference.Name}' has no version {number}; it has versions {string.Join(", ", versions.Select(v => v.Version))}", field);
        }

        var tag = record.Tags.FirstOrDefault(t => t.Name == reference.Name && t.Tag == reference.Version);
        return tag is null
            ? throw new ArgumentException($"{field}: model '{reference.Name}' has no tag '{reference.Version}'; tags: {Tags(reference.Name)}", field)
            : versions.First(v => v.Version == tag.Version);
    }

    public ModelVersionRecord? Find(string reference) => record.Versions.FirstOrDefault(v => v.Reference == reference);

    public int NextVersion(string name) => record.Versions.Where(v => v.Name == name).Select(v => v.Version).DefaultIfEmpty(0).Max() + 1;

    /// <summary>The version of <paramref name="version"/>'s model registered just before it, if any.</summary>
    public ModelVersionRecord? Previous(ModelVersionRecord version) =>
        record.Versions.Where(v => v.Name == version.Name && v.Version < version.Version).MaxBy(v => v.Version);

    /// <summary>Versions made from <paramref name="parent"/>, in registration order.</summary>
    public IEnumerable<ModelVersionRecord> Children(string parent) => record.Versions.Where(v => v.Parent == parent);

    /// <summary>The evaluations of a version, newest last.</summary>
    public IEnumerable<EvaluationRecord> EvaluationsOf(string version) =>
        record.Evaluations.Where(e => e.Version == version).OrderBy(e => e.RecordedAt);

    /// <summary>The family's root: the version reached by following parents up.</summary>
    public ModelVersionRecord Root(ModelVersionRecord version)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (version.Parent is { } parent && seen.Add(version.Reference) && Find(parent) is { } up) version = up;
        return version;
    }

    public IReadOnlyList<LineageEdge> Edges()
    {
        var edges = new List<LineageEdge>();
        foreach (var version in record.Versions.Where(v => v.Parent is not null))
        {
            edges.Add(new LineageEdge(version.Parent!, version.Reference, version.ParentEdge ?? LineageEdgeKind.TrainedFrom, version.Job));
            if (version.Resharded) edges.Add(new LineageEdge(version.Parent!, version.Reference, LineageEdgeKind.Resharded, version.Job, $"{version.ParentLayout} -> {version.Layout}"));
        }

        edges.AddRange(record.Evaluations.Select(e => new LineageEdge(e.Version, e.Job, LineageEdgeKind.EvaluatedBy, e.Job,
            string.Join(", ", e.Scores.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value.ToString("G4", CultureInfo.InvariantCulture)}")))));
        return edges;
    }

    /// <summary>Versions in tree order: each family's root, then depth-first its descendants; families by registration.</summary>
    public IReadOnlyList<ModelVersionRecord> TreeOrder()
    {
        var ordered = new List<ModelVersionRecord>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in record.Versions.Where(v => v.Parent is null || Find(v.Parent) is null)) Visit(root);
        foreach (var left in record.Versions) Visit(left); // cycles cannot be registered; this only guards the listing
        return ordered;

        void Visit(ModelVersionRecord version)
        {
            if (!placed.Add(version.Reference)) return;
            ordered.Add(version);
            foreach (var child in Children(version.Reference)) Visit(child);
        }
    }

    public IReadOnlyDictionary<string, double> LatestScores(string version)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var evaluation in EvaluationsOf(version))
        {
            foreach (var (metric, score) in evaluation.Scores) scores[metric] = score;
        }

        return scores;
    }

    public IReadOnlyList<string> TagsOf(ModelVersionRecord version) =>
        record.Tags.Where(t => t.Name == version.Name && t.Version == version.Version).Select(t => t.Tag).Order(StringComparer.Ordinal).ToList();

    public ModelVersionView View(ModelVersionRecord version, long logicalBytes = 0, long uniqueBytes = 0, string? problem = null) =>
        new(version.Name, version.Version, version.Job, version.Step, version.Attempt, version.Layout, version.Parent, version.ParentEdge,
            version.External, version.RegisteredAt, TagsOf(version), LatestScores(version.Reference), logicalBytes, uniqueBytes, problem,
            version.Spec is { } spec ? spec.Model with { From = null } : null);

    private string Tags(string name)
    {
        var tags = record.Tags.Where(t => t.Name == name).Select(t => t.Tag).ToList();
        return tags.Count == 0 ? "none" : string.Join(", ", tags);
    }
}
