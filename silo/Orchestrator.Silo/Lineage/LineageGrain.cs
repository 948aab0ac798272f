using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Checkpoints;
using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Checkpoints.Storage;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Lineage;

/// <summary>
/// The model lineage graph: registers finished checkpoints as model versions with the edge from the version their job
/// started from, records evaluations and tags, answers the registry, diffs versions from the store's chunks, keeps the
/// versions it references through garbage collection, and runs update cascades (<c>LineageGrain.Cascades.cs</c>).
/// Thin: the graph queries, planning, diff and accounting live in their own classes.
/// </summary>
internal sealed partial class LineageGrain(
    [PersistentState("lineage", StorageNames.Durable)] IPersistentState<LineageRecord> store,
    IOptions<CheckpointingOptions> checkpointing,
    TimeProvider time,
    ILogger<LineageGrain> logger) : Grain, ILineageGrain
{
    private LineageGraph Graph => new(store.State);

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<ModelVersionView?> RegisterCheckpointAsync(CommittedModel committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        var graph = Graph;
        if (store.State.Versions.FirstOrDefault(v => v.Job == committed.Job && !v.External) is { } known) return graph.View(known);
        var name = committed.Spec.Metadata.Name;
        if (!ModelReference.IsName(name))
        {
            LogUnnamed(logger, committed.Job, name);
            return null;
        }

        var parent = store.State.JobStarts.GetValueOrDefault(committed.Job) is { } started ? graph.Find(started) : null;
        if (parent is null && committed.Spec.Model.From is { } from)
        {
            try
            {
                parent = graph.Resolve(from, "spec.model.from");
            }
            catch (ArgumentException e)
            {
                LogParentGone(logger, committed.Job, e.Message);
            }
        }

        // A new version of the same model continues its training; a model of another name started from it is a fine-tune.
        var kind = parent is null ? (LineageEdgeKind?)null : parent.Name == name ? LineageEdgeKind.TrainedFrom : LineageEdgeKind.FineTunedFrom;
        var version = new ModelVersionRecord(name, graph.NextVersion(name), committed.Job, committed.Step, committed.Attempt, committed.Layout,
            parent?.Reference, kind, parent?.Layout, committed.Spec, Now);
        store.State.Versions.Add(version);
        Pin(version);
        LogRegistered(logger, version.Reference, committed.Job, parent?.Reference ?? "none");
        await CompleteCascadeStepAsync(committed.Job, version.Reference);
        await store.WriteStateAsync();
        return graph.View(version);
    }

    public async Task<ModelVersionView> RegisterExternalAsync(string name, string job, long step, int attempt)
    {
        if (!ModelReference.IsName(name ?? "")) throw new ArgumentException($"name: '{name}' may contain only ASCII letters, digits, '.', '_' and '-' (at most 128)", nameof(name));
        var id = new CheckpointId(job, step, attempt);
        id.Validate();
        CheckpointManifest manifest;
        try
        {
            manifest = await OpenStore().LoadManifestAsync(id, CancellationToken.None);
        }
        catch (CheckpointDamagedException e)
        {
            throw new ArgumentException($"checkpoint: {e.Message}", "checkpoint", e);
        }

        var graph = Graph;
        var version = new ModelVersionRecord(name!, graph.NextVersion(name!), job, step, attempt, manifest.Layout.ToString(), null, null, null, null, Now);
        store.State.Versions.Add(version);
        Pin(version);
        await store.WriteStateAsync();
        return graph.View(version, manifest.LogicalBytes);
    }

    public async Task<ModelVersionView> StartFromAsync(string job, string reference)
    {
        var graph = Graph;
        if (store.State.JobStarts.GetValueOrDefault(job) is { } started && graph.Find(started) is { } fixedVersion) return graph.View(fixedVersion);
        var version = graph.Resolve(reference, "spec.model.from");
        store.State.JobStarts[job] = version.Reference;
        await store.WriteStateAsync();
        return graph.View(version);
    }

    public Task<ModelVersionView> ResolveAsync(string reference) => Task.FromResult(Graph.View(Graph.Resolve(reference)));

    public async Task<ModelVersionView> TagAsync(string reference, string tag)
    {
        if (!ModelReference.IsName(tag ?? "") || tag == ModelReference.Latest || tag!.All(char.IsAsciiDigit))
            throw new ArgumentException($"tag: '{tag}' must be letters, digits, '.', '_' or '-', not a number and not 'latest' (those name versions)", nameof(tag));
        var version = Graph.Resolve(reference);
        store.State.Tags.RemoveAll(t => t.Name == version.Name && t.Tag == tag);
        store.State.Tags.Add(new TagRecord(version.Name, tag!, version.Version));
        await store.WriteStateAsync();
        return Graph.View(version);
    }

    public async Task RecordEvaluationAsync(string reference, string evaluationJob, IReadOnlyDictionary<string, double> scores, EvaluationJobSpec? spec)
    {
        var version = Graph.Resolve(reference);
        if (string.IsNullOrWhiteSpace(evaluationJob)) throw new ArgumentException("evaluationJob: must name the evaluation run", nameof(evaluationJob));
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.FirstOrDefault(s => !double.IsFinite(s.Value) || string.IsNullOrWhiteSpace(s.Key)) is { Key: not null } bad)
            throw new ArgumentException($"scores: '{bad.Key}' = {bad.Value} is not a named finite number", nameof(scores));
        // Once per run and version: a run that records again (its silo stopped before it saved that it had) replaces its record.
        store.State.Evaluations.RemoveAll(e => e.Version == version.Reference && e.Job == evaluationJob);
        store.State.Evaluations.Add(new EvaluationRecord(version.Reference, evaluationJob, new Dictionary<string, double>(scores), Now, spec));
        LogEvaluated(logger, version.Reference, evaluationJob, scores.Count);
        await CompleteCascadeStepAsync(evaluationJob, version.Reference);
        await store.WriteStateAsync();
    }

    public Task<ModelVersionView?> FindByCheckpointAsync(string job, long step) =>
        Task.FromResult(store.State.Versions.FirstOrDefault(v => v.Job == job && v.Step == step) is { } version ? Graph.View(version) : null);

    public async Task<ModelRegistryView> GetRegistryAsync()
    {
        var graph = Graph;
        var versions = graph.TreeOrder();
        var checkpoints = OpenStore();
        var manifests = new Dictionary<string, CheckpointManifest>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var version in versions)
        {
            try
            {
                manifests[version.Reference] = await checkpoints.LoadManifestAsync(new CheckpointId(version.Job, version.Step, version.Attempt), CancellationToken.None);
            }
            catch (CheckpointDamagedException e)
            {
                problems[version.Reference] = e.Message;
            }
        }

        var sharing = new ChunkSharing(manifests);
        var views = versions.Select(v => graph.View(v, manifests.TryGetValue(v.Reference, out var m) ? m.LogicalBytes : 0, sharing.UniqueBytes(v.Reference), problems.GetValueOrDefault(v.Reference))).ToList();
        var families = versions.GroupBy(v => graph.Root(v).Reference).Select(family => new FamilyStorage(family.Key, family.Count(),
            family.Sum(v => manifests.TryGetValue(v.Reference, out var m) ? m.LogicalBytes : 0), sharing.StoredBytes(family.Select(v => v.Reference)))).ToList();
        return new ModelRegistryView(views, graph.Edges(), families);
    }

    public async Task<ModelDiffView> DiffAsync(string first, string second)
    {
        var (a, b) = (Graph.Resolve(first, "first"), Graph.Resolve(second, "second"));
        var checkpoints = OpenStore();
        var manifestA = await LoadAsync(checkpoints, a, "first");
        var manifestB = await LoadAsync(checkpoints, b, "second");
        var (tensors, read) = await new CheckpointDiff(checkpoints).CompareAsync(manifestA, manifestB, CancellationToken.None);
        return new ModelDiffView(a.Reference, b.Reference, tensors, read);
    }

    public async Task<LineageCollection> CollectGarbageAsync()
    {
        var roots = store.State.Versions.Select(CheckpointOf).ToHashSet();
        var jobs = await GrainFactory.GetGrain<IJobIndexGrain>("default").ListAsync();
        var finished = jobs.Where(j => j.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled).Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        var report = await OpenStore().CollectGarbageAsync(new GarbageCollectionRoots(roots, finished), CancellationToken.None);
        return new LineageCollection(roots.Count, report.DeletedCheckpoints.Count, report.DeletedChunks, report.FreedBytes);
    }

    private static CheckpointId CheckpointOf(ModelVersionRecord version) => new(version.Job, version.Step, version.Attempt);

    private static async Task<CheckpointManifest> LoadAsync(CheckpointStore checkpoints, ModelVersionRecord version, string field)
    {
        try
        {
            return await checkpoints.LoadManifestAsync(CheckpointOf(version), CancellationToken.None);
        }
        catch (CheckpointDamagedException e)
        {
            throw new ArgumentException($"{field}: {version.Reference} cannot be read: {e.Message}", field, e);
        }
    }

    private CheckpointStore OpenStore() => new(new CheckpointStoreOptions { Root = checkpointing.Value.Root });

    /// <summary>Pins the version's checkpoint too, so collections that do not consult the graph (a worker's after each commit) keep it.</summary>
    private void Pin(ModelVersionRecord version)
    {
        try
        {
            OpenStore().Pin(CheckpointOf(version));
        }
        catch (Exception e) when (e is KeyNotFoundException or IOException or UnauthorizedAccessException)
        {
            LogPinFailed(logger, version.Reference, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "registered model version {Version} from job {Job} (parent {Parent})")]
    private static partial void LogRegistered(ILogger logger, string version, string job, string parent);

    [LoggerMessage(Level = LogLevel.Information, Message = "recorded evaluation run {Run} of model version {Version} ({Scores} score(s))")]
    private static partial void LogEvaluated(ILogger logger, string version, string run, int scores);

    [LoggerMessage(Level = LogLevel.Warning, Message = "job {Job} is named '{Name}', which cannot name a model: its checkpoint is not registered")]
    private static partial void LogUnnamed(ILogger logger, string job, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "job {Job} started from a version that no longer resolves ({Problem}); registered as a root")]
    private static partial void LogParentGone(ILogger logger, string job, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not pin the checkpoint of {Version}: {Problem}")]
    private static partial void LogPinFailed(ILogger logger, string version, string problem);
}
