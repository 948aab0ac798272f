using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Lineage;

namespace Orchestrator.Silo.Evaluation;

/// <summary>
/// Turns the spec's model into the model a run evaluates: a checkpoint's training job (by id, or the newest job of that
/// name) and step (a number it committed, or its newest), a model version of the lineage graph, or the endpoint as written.
/// </summary>
internal static class ModelResolution
{
    public static async Task<ResolvedModel> ResolveAsync(IGrainFactory grains, EvaluationModelSpec model)
    {
        if (model.Endpoint is { } endpoint) return new ResolvedModel(ResolvedModel.EndpointId(endpoint), Endpoint: endpoint);
        if (model.From is { } from) return await ResolveVersionAsync(grains, from);
        var checkpoint = model.Checkpoint!;
        var job = await FindJobAsync(grains, checkpoint.Job);
        var committed = job.Checkpoints ?? [];
        long step;
        if (checkpoint.FixedStep is { } wanted)
        {
            if (committed.All(c => c.Step != wanted))
                throw Refused("spec.model.checkpoint.step", $"job {job.Id} committed no checkpoint at step {wanted}; it has {Steps(committed)}");
            step = wanted;
        }
        else
        {
            step = committed.Count > 0 ? committed.Max(c => c.Step)
                : throw Refused("spec.model.checkpoint.step", $"job {job.Id} has committed no checkpoint yet ({job.State}); run it first or use a job that has");
        }

        return new ResolvedModel(ResolvedModel.BuiltinId(job.Id, step), job.Id, step, job.Spec.Model);
    }

    /// <summary>
    /// A model version of the lineage graph: the checkpoint that holds it, loaded as the shape its training job had. The
    /// version is fixed now, so a tag moved while the run is queued does not change what it evaluates.
    /// </summary>
    private static async Task<ResolvedModel> ResolveVersionAsync(IGrainFactory grains, string from)
    {
        var (version, error) = await StartingVersion.ResolveAsync(grains, from);
        if (error is not null) throw new JobSpecException([error]);
        if (version!.Architecture is not { } architecture)
            throw Refused("spec.model.from", $"{version.Reference} was registered by hand from checkpoint {version.Job} step {version.Step}: " +
                "its model shape is unknown, so the built-in GPT cannot load it; evaluate it through an endpoint");
        return new ResolvedModel(ResolvedModel.BuiltinId(version.Job, version.Step), version.Job, version.Step, architecture, Version: version.Reference);
    }

    /// <summary>The training job a checkpoint spec names: by id, else the newest job of that name.</summary>
    /// <exception cref="JobSpecException">No job has that id or name.</exception>
    public static async Task<JobView> FindJobAsync(IGrainFactory grains, string job) =>
        await grains.GetGrain<IJobGrain>(job).GetAsync() ?? await NewestNamedAsync(grains, job)
        ?? throw Refused("spec.model.checkpoint.job", $"no training job has the id or name '{job}'");

    private static async Task<JobView?> NewestNamedAsync(IGrainFactory grains, string name)
    {
        var newest = (await grains.GetGrain<IJobIndexGrain>("default").ListAsync())
            .Where(j => j.Name == name)
            .OrderByDescending(j => j.SubmittedAt)
            .FirstOrDefault();
        return newest is null ? null : await grains.GetGrain<IJobGrain>(newest.Id).GetAsync();
    }

    private static string Steps(IReadOnlyList<CheckpointRecord> committed) =>
        committed.Count == 0 ? "none" : "steps " + string.Join(", ", committed.Select(c => c.Step));

    private static JobSpecException Refused(string path, string message) => new([new SpecError(path, message)]);
}
