using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Evaluation.Runs;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Queues;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Evaluation;

/// <summary>
/// One evaluation run: resolves its model, loads its scenarios to count the instances, cuts them into shards and gives
/// each shard grain its range; follows the shards as they report; when every shard has succeeded, aggregates their
/// per-instance results into HELM's files (pure code in Orchestrator.Evaluation.Runs). A shard that uses up its
/// attempts fails the run, and the other shards are cancelled.
/// </summary>
internal sealed partial class EvaluationRunGrain(
    [PersistentState("evaluation-run", StorageNames.Durable)] IPersistentState<EvaluationRunRecord> store,
    IOptions<EvaluationOptions> options,
    IOptions<CheckpointingOptions> checkpointing,
    TimeProvider time,
    ILogger<EvaluationRunGrain> logger) : Grain, IEvaluationRunGrain, IRemindable, IJobOwnership
{
    private EvaluationRunRecord Run => store.State;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    string? IJobOwnership.Owner => store.RecordExists ? Run.Owner : null;

    void IJobOwnership.Claim(string user)
    {
        if (!store.RecordExists) Run.Owner = user;
    }

    public async Task<EvaluationRunView> SubmitAsync(EvaluationJobSpec spec)
    {
        if (store.RecordExists) throw new InvalidOperationException($"run id '{Id}' is taken");
        var errors = EvaluationJobSpecValidator.Validate(spec).ToList();
        if (errors.Count > 0) throw new JobSpecException(errors);
        var inventory = await GrainFactory.GetGrain<IClusterGrain>("default").GetInventoryAsync();
        errors.AddRange(ShardPlacement.Check(spec, inventory));
        var (metadata, queueErrors) = QueueAdmission.Resolve(spec.Metadata, await GrainFactory.GetGrain<IQueueRegistryGrain>("default").GetAsync());
        errors.AddRange(queueErrors);
        if (errors.Count > 0) throw new JobSpecException(errors);
        spec = spec with { Metadata = metadata };

        if (spec.Model.Checkpoint is { Step: CheckpointModelSpec.Every }) return await SubmitFollowerAsync(spec);
        var model = await ModelResolution.ResolveAsync(GrainFactory, spec.Model);
        RunInstances instances;
        try
        {
            instances = RunInstances.Load(spec, RunInstances.Builtin(options.Value.DataRoot));
        }
        catch (ArgumentException e)
        {
            throw new JobSpecException([new SpecError("spec.scenarios", e.Message)]);
        }

        var devices = inventory!.Nodes.Sum(n => n.GpuCount);
        var shards = ShardRanges.Split(instances.Units.Count, spec.Shards ?? ShardRanges.Auto(instances.Units.Count, devices, spec.Resources.Gpus));
        Run.Spec = spec;
        Run.Model = model;
        Run.Instances = instances.Units.Count;
        Run.SubmittedAt = Now;
        Run.State = JobState.Pending;
        Run.ResultsDirectory = Path.Combine(options.Value.ResultsRoot, Id);
        Run.Shards = shards.Select((r, i) => new EvaluationShardView(i, r.Start, r.End, ShardState.Waiting, 0, null, null)).ToList();
        Run.Note(Now, $"submitted to queue '{spec.Metadata.Queue}' at priority {spec.Metadata.Priority}: {model.ModelId} on " +
            $"{instances.Units.Count} instance(s) of {spec.Scenarios.Count} scenario(s) in {shards.Count} shard(s) of {spec.Resources.Gpus} device(s)");
        await store.WriteStateAsync();

        // A checkpoint's run is listed with its training job (a followed job's runs are listed through their follower, RUN@STEP).
        if (model.CheckpointJobId is { } trainingJob && !Id.Contains('@', StringComparison.Ordinal))
            await GrainFactory.GetGrain<IEvaluationIndexGrain>("default").AddAsync(trainingJob, Id);

        // Each shard has a cache folder of its own (a cache file has one writer); a run of the same model cut the same
        // way finds its answers again there.
        var cacheBase = Path.Combine(options.Value.CacheRoot, CacheFolder(model.ModelId), $"{shards.Count}-shards");
        foreach (var (i, (start, end)) in shards.Index())
        {
            await GrainFactory.GetGrain<IEvaluationShardGrain>(ShardKey(i)).StartAsync(new EvaluationShardWork(
                Id, i, shards.Count, start, end, spec, model, Run.ResultsDirectory, Path.Combine(cacheBase, $"shard-{i}"), checkpointing.Value.Root,
                RunInstances.ResolvedDataRoot(options.Value.DataRoot)));
        }

        return Run.ToView(Id);
    }

    public Task<EvaluationRunView?> GetAsync() => Task.FromResult(store.RecordExists ? Run.ToView(Id) : null);

    public async Task<EvaluationRunView> CancelAsync(string reason)
    {
        if (!store.RecordExists) throw new JobNotFoundException(Id);
        if (Run.IsTerminal) return Run.ToView(Id);
        Run.Transition(JobState.Cancelled, Now, reason);
        await store.WriteStateAsync();
        await CancelShardsAsync(reason);
        foreach (var followed in Run.Checkpoints ?? [])
            await GrainFactory.GetGrain<IEvaluationRunGrain>(followed.RunId).CancelAsync(reason);
        return Run.ToView(Id);
    }

    public async Task ShardChangedAsync(EvaluationShardView shard)
    {
        if (!store.RecordExists || shard.Index >= Run.Shards.Count) return;
        var before = Run.Shards[shard.Index];
        Run.Shards[shard.Index] = shard;
        if (Run.IsTerminal) return;
        if (shard.State == ShardState.Running && Run.State == JobState.Pending)
            Run.Transition(JobState.Running, Now, $"shard {shard.Index} started ({shard.End - shard.Start} instance(s))");
        if (shard.Attempts != before.Attempts && shard.Attempts > 1 && shard.State == ShardState.Running)
            Run.Note(Now, $"shard {shard.Index}: attempt {shard.Attempts} started, resuming after {before.Message}");
        if (shard.State == ShardState.Waiting && before.State == ShardState.Running)
            Run.Note(Now, $"shard {shard.Index}: {shard.Message}; queued again");
        if (shard.State == ShardState.Succeeded && before.State != ShardState.Succeeded)
            Run.Note(Now, $"shard {shard.Index} finished {shard.End - shard.Start} instance(s) in {shard.Attempts} attempt(s)" +
                $" ({shard.CacheHits} request(s) from the cache, {shard.Redone} instance(s) redone)");

        if (shard.State == ShardState.Failed)
        {
            Run.Message = $"shard {shard.Index} failed: {shard.Message}";
            Run.Transition(JobState.Failed, Now, Run.Message);
            await store.WriteStateAsync();
            await CancelShardsAsync($"run {Id} failed");
            return;
        }

        if (Run.Shards.All(s => s.State == ShardState.Succeeded)) await AggregateAsync();
        else await store.WriteStateAsync();
    }

    private async Task AggregateAsync()
    {
        try
        {
            Run.Scores = RunResults.Write(Run.Spec!, Run.Model!.ModelId, Run.ResultsDirectory!, Run.Shards.Count, Run.Instances).ToList();
            Run.Transition(JobState.Succeeded, Now, $"all {Run.Shards.Count} shard(s) finished; results in {Run.ResultsDirectory}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            Run.Message = $"aggregating the shards' results failed: {e.Message}";
            Run.Transition(JobState.Failed, Now, Run.Message);
        }

        LogFinished(Id, Run.State);
        await store.WriteStateAsync();
    }

    private async Task CancelShardsAsync(string reason)
    {
        for (var i = 0; i < Run.Shards.Count; i++)
        {
            await GrainFactory.GetGrain<IEvaluationShardGrain>(ShardKey(i)).CancelAsync(reason);
        }
    }

    private string ShardKey(int index) => $"{Id}/{index}";

    /// <summary>A folder name for a model id (ids hold ':', '/', '@' and '#').</summary>
    private static string CacheFolder(string modelId) =>
        string.Concat(modelId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '@' ? c : '_'));

    [LoggerMessage(Level = LogLevel.Information, Message = "evaluation run {RunId} ended {State}")]
    private partial void LogFinished(string runId, JobState state);
}
