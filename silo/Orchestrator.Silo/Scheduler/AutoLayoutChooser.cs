using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Search;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Planner;
using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// Asks the planner about waiting jobs. For a <c>parallelism: auto</c> job it picks the layout for the devices a
/// pass can offer; for a fixed layout it searches only what the spec leaves open (e.g. the micro-batch). Either way
/// it remembers the estimate, so the plan carries micro-batch, schedule, recomputation and a predicted step time,
/// and backfill gets a runtime estimate. On CPU stand-in devices, whose speed the planner does not model, an auto job
/// takes the most data-parallel replicas that split the global batch and nothing is predicted.
/// </summary>
internal sealed class AutoLayoutChooser
{
    private readonly Dictionary<(string JobId, int Devices), PlanEstimate?> _searched = [];

    /// <summary>
    /// The cluster automatic layouts are planned for: the inventory's real NVLink domains, nodes, racks and links
    /// (an NVL72-class domain allows tensor sizes above 8) once the scheduler has one, else the catalog's default node.
    /// </summary>
    public ClusterTopology? Topology { get; set; }

    public LayoutChooser For(string jobId, TrainingJobSpec spec) => available =>
    {
        var type = spec.Resources.GpuType;
        var planned = Planned(spec);
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

    /// <summary>
    /// For a fixed layout whose <c>resources.minGpus</c> is below its size (an elastic job, Kueue's partial admission):
    /// the spec's layout when all its devices can be had, else a smaller one down to minGpus. On accelerators the
    /// planner picks the smaller layout freely; on CPU stand-in devices, whose speed it does not model, tensor and
    /// pipeline sizes stay (they are what the model needs to fit) and data-parallel replicas shrink.
    /// </summary>
    public LayoutChooser Elastic(string jobId, TrainingJobSpec spec) => available =>
    {
        var p = spec.Parallelism;
        var full = new ParallelLayout(p.Tensor, p.Pipeline, p.Data, p.Expert, p.VirtualStages, p.Context);
        if (available >= full.WorldSize)
            return new LayoutChoice(full, EstimateFixed(jobId, spec) is { } fixedPlan ? TimeSpan.FromSeconds(fixedPlan.IterationSeconds * spec.Training.Steps) : null);
        var modelParallel = p.Tensor * p.Context * p.Pipeline;
        for (var devices = available; devices >= spec.Resources.EffectiveMinGpus; devices--)
        {
            if (Planned(spec))
            {
                if (Search(jobId, spec with { Parallelism = ParallelismSpec.Automatic }, spec.Resources.GpuType!, devices) is { } estimate)
                    return new LayoutChoice(estimate.Choice.Layout, TimeSpan.FromSeconds(estimate.IterationSeconds * spec.Training.Steps));
                continue;
            }

            var data = devices / modelParallel;
            if (devices % modelParallel == 0 && data % p.Expert == 0 && spec.Training.GlobalBatch % (data * (p.MicroBatch ?? 1)) == 0)
                return new LayoutChoice(new ParallelLayout(p.Tensor, p.Pipeline, data, p.Expert, p.VirtualStages, p.Context), null);
        }

        return null;
    };

    /// <summary>The planner's estimate of a fixed-layout job on accelerators, or null where there is none.</summary>
    public PlanEstimate? EstimateFixed(string jobId, TrainingJobSpec spec) =>
        !spec.Parallelism.Auto && Planned(spec) ? Search(jobId, spec, spec.Resources.GpuType!, spec.Resources.Gpus) : null;

    /// <summary>The planner's estimate behind the layout chosen for a job, if the planner chose it.</summary>
    public PlanEstimate? EstimateFor(string jobId, ParallelLayout layout) =>
        _searched.TryGetValue((jobId, layout.WorldSize), out var estimate) && estimate?.Choice.Layout == layout ? estimate : null;

    /// <summary>Forgets a job's searches (it started, or left the queue).</summary>
    public void Forget(string jobId)
    {
        foreach (var key in _searched.Keys.Where(k => k.JobId == jobId).ToList()) _searched.Remove(key);
    }

    private PlanningCluster Cluster(string gpuType, int devices)
    {
        var gpu = HardwareCatalog.Get(gpuType);
        if (Topology is { } topology && topology.Nodes.Any(n => string.Equals(n.GpuType, gpu.Name, StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                return PlanningCluster.FromTopology(topology, gpu, devices);
            }
            catch (ArgumentException)
            {
                // More devices than the inventory has of that type: the default node prices the request.
            }
        }

        return PlanningCluster.ForGpu(gpu, devices);
    }

    private static bool Planned(TrainingJobSpec spec) =>
        spec.Resources.GpuType is { } type && !string.Equals(type, HardwareCatalog.Cpu, StringComparison.OrdinalIgnoreCase);

    private PlanEstimate? Search(string jobId, TrainingJobSpec spec, string gpuType, int devices)
    {
        if (_searched.TryGetValue((jobId, devices), out var cached)) return cached;
        PlanEstimate? best;
        try
        {
            // Automatic layouts stay at context 1 (the built-in runtime does not run context parallelism; a fixed layout
            // keeps the context size it asked for, which only a user's runtime may), and a job given a number of
            // devices uses them all (the scheduler already tries fewer devices), so neither is searched here.
            best = LayoutSearch.Search(SpecPlanning.Request(spec, Cluster(gpuType, devices)) with
            {
                Alternatives = 0,
                ContextParallelSize = spec.Parallelism.Auto ? 1 : spec.Parallelism.Context,
                MaxIdleFraction = 0,
            }).Best;
        }
        catch (Exception e) when (e is PlanningException or ArgumentException)
        {
            best = null;
        }

        _searched[(jobId, devices)] = best;
        return best;
    }
}
