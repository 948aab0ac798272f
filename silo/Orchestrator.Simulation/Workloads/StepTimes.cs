using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Search;

namespace Orchestrator.Simulation.Workloads;

/// <summary>
/// The planner's layout and step time for a model on a number of GPUs of one type (the best layout
/// <see cref="LayoutSearch"/> finds, as the scheduler asks for an automatic job), searched once per shape.
/// </summary>
internal sealed class StepTimes
{
    private readonly Dictionary<(string Model, string GpuType, int Gpus), (ParallelLayout Layout, double StepSeconds)> _cache = [];

    public int Searches { get; private set; }

    public (ParallelLayout Layout, double StepSeconds) For(string model, string gpuType, int gpus)
    {
        if (_cache.TryGetValue((model, gpuType, gpus), out var known)) return known;
        var (transformer, training) = ModelPresets.Get(model);
        PlanEstimate best;
        try
        {
            // As the scheduler plans: no context parallelism (the runtimes do not run it) and every device used.
            best = LayoutSearch.Search(new PlanningRequest(transformer, training, PlanningCluster.ForGpuType(gpuType, gpus))
            {
                Alternatives = 0,
                ContextParallelSize = 1,
                MaxIdleFraction = 0,
            }).Best;
        }
        catch (PlanningException e)
        {
            throw new InvalidOperationException($"the planner found no layout for {model} on {gpus} {gpuType} GPUs: {e.Message}", e);
        }

        Searches++;
        var result = (best.Choice.Layout, best.IterationSeconds);
        _cache[(model, gpuType, gpus)] = result;
        return result;
    }
}
