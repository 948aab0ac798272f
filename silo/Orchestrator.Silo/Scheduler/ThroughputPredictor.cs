using Orchestrator.Contracts.Scheduling;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Search;
using Orchestrator.Silo.Planner;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// The planner's predicted throughput (samples per second) of a training job on each device type of the cluster, for
/// the heterogeneity-aware policy: only for jobs that leave <c>resources.gpuType</c> open, at the devices they ask
/// for. Remembered per job, since a search per type and pass would dominate the pass.
/// </summary>
internal sealed class ThroughputPredictor
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, double>?> _byJob = new(StringComparer.Ordinal);

    /// <returns>Samples per second by device type, or null when the job names its type, is not training, or the
    /// planner prices none of <paramref name="gpuTypes"/> (e.g. CPU stand-ins).</returns>
    public IReadOnlyDictionary<string, double>? For(QueuedJob job, IEnumerable<string> gpuTypes)
    {
        if (job.Kind != WorkloadKind.Training || job.Spec.Resources.GpuType is not null) return null;
        if (_byJob.TryGetValue(job.JobId, out var known)) return known;
        var predicted = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in gpuTypes.Distinct(StringComparer.OrdinalIgnoreCase).Where(t => HardwareCatalog.TryGet(t, out _) && !string.Equals(t, HardwareCatalog.Cpu, StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                var spec = job.Spec with { Resources = job.Spec.Resources with { GpuType = type } };
                var best = LayoutSearch.Search(SpecPlanning.Request(spec, PlanningCluster.ForGpuType(type, spec.Resources.Gpus)) with
                {
                    Alternatives = 0,
                    ContextParallelSize = 1,
                    MaxIdleFraction = 0,
                }).Best;
                if (best.IterationSeconds > 0) predicted[type] = spec.Training.GlobalBatch / best.IterationSeconds;
            }
            catch (Exception e) when (e is PlanningException or ArgumentException)
            {
                // The job does not fit this type (memory, divisibility): it has no throughput there.
            }
        }

        return _byJob[job.JobId] = predicted.Count == 0 ? null : predicted;
    }

    public void Forget(string jobId) => _byJob.Remove(jobId);
}
