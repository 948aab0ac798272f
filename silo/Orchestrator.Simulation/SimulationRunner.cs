using Orchestrator.Simulation.Engine;
using Orchestrator.Simulation.Results;
using Orchestrator.Simulation.Scenarios;
using Orchestrator.Simulation.Workloads;

namespace Orchestrator.Simulation;

/// <summary>Runs a scenario: draws or reads its workload, then simulates it. The scenario's seed fixes everything random.</summary>
internal static class SimulationRunner
{
    public static SimulationResult Run(SimulationScenario scenario, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var random = new Random(scenario.Seed);
        var stepTimes = new StepTimes();
        var workload = scenario.Workload.TracePath is { } trace
            ? AlibabaTrace.Read(trace, scenario.Workload.TraceGpuType, scenario.DurationSeconds)
            : SyntheticMix.Generate(scenario, stepTimes, random);
        return new Simulator(scenario, workload, stepTimes, random).Run(progress, cancellationToken);
    }
}
