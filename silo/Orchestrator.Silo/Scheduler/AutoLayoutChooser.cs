using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Search;
using Orchestrator.Silo.Planner;
using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// Picks the layout of a <c>parallelism: auto</c> job for the devices a pass can offer. On accelerators the
/// planner searches the layout (and remembers its estimate, so the plan carries micro-batch, schedule and
/// recomputation); on CPU stand-in devices, whose speed the planner does not model, it takes the most
/// data-parallel replicas that split the global batch.
/// </summary>
internal sealed class AutoLayoutChooser
{
    private readonly Dictionary<(string JobId, int Devices), PlanEstimate?> _searched = [];

    public LayoutChooser For(string jobId, TrainingJobSpec spec) => available =>
    {
        var type = spec.Resources.GpuType;
        var planned = type is not null && !string.Equals(type, HardwareCatalog.Cpu, StringComparison.OrdinalIgnoreCase);
        for (var devices = Math.Min(available, spec.Resources.Gpus); devices >= spec.Resources.EffectiveMinGpus; devices--)
        {
            if (!planned)
            {
                if (spec.Training.GlobalBatch % devices == 0) return new LayoutChoice(new ParallelLayout(1, 1, devices), null);
                continue;
            }

            if (Search(jobId, spec, type!, devices) is { } estimate)
                return new LayoutChoice(estimate.Choice.Layout, TimeSpan.FromSeconds(estimate.IterationSeconds * spec.Training.Steps));
        }

        return null;
    };

    /// <summary>The planner's estimate behind the layout chosen for a job, if the planner chose it.</summary>
    public PlanEstimate? EstimateFor(string jobId, ParallelLayout layout) =>
        _searched.TryGetValue((jobId, layout.WorldSize), out var estimate) && estimate?.Choice.Layout == layout ? estimate : null;

    /// <summary>Forgets a job's searches (it started, or left the queue).</summary>
    public void Forget(string jobId)
    {
        foreach (var key in _searched.Keys.Where(k => k.JobId == jobId).ToList()) _searched.Remove(key);
    }

    private PlanEstimate? Search(string jobId, TrainingJobSpec spec, string gpuType, int devices)
    {
        if (_searched.TryGetValue((jobId, devices), out var cached)) return cached;
        PlanEstimate? best;
        try
        {
            best = LayoutSearch.Search(SpecPlanning.Request(spec, PlanningCluster.ForGpuType(gpuType, devices)) with { Alternatives = 0 }).Best;
        }
        catch (Exception e) when (e is PlanningException or ArgumentException)
        {
            best = null;
        }

        _searched[(jobId, devices)] = best;
        return best;
    }
}
