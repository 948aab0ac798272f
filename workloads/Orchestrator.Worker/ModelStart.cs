using Orchestrator.Checkpoints.Manifest;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Worker;

/// <summary>
/// Where a job that names <c>model.from</c> takes its initial weights: the lineage grain resolves the version once
/// for the job (every attempt gets the same checkpoint even if a tag moves) and the worker restores its checkpoint.
/// </summary>
internal static class ModelStart
{
    /// <exception cref="ArgumentException">The version no longer resolves (the worker exits with a spec error).</exception>
    public static async Task<CheckpointId> ResolveAsync(IGrainFactory grains, string jobId, string reference, TextWriter output)
    {
        var version = await grains.GetGrain<ILineageGrain>("default").StartFromAsync(jobId, reference);
        output.WriteLine($"worker: model.from {reference} is {version.Reference}: checkpoint {version.Job}@step{version.Step}/attempt{version.Attempt} ({version.Layout})");
        return new CheckpointId(version.Job, version.Step, version.Attempt);
    }
}
