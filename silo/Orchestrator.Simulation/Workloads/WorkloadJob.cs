namespace Orchestrator.Simulation.Workloads;

/// <summary>A job as a workload submits it.</summary>
/// <param name="JobId">Unique id.</param>
/// <param name="ArrivalSeconds">Submit time, seconds from the start.</param>
/// <param name="Gpus">Devices it asks for.</param>
/// <param name="WorkSeconds">Wall-clock seconds of training it needs on those devices, without failures, saves or restarts.</param>
/// <param name="Queue">The queue it is submitted to.</param>
/// <param name="Priority">Its priority (higher first).</param>
/// <param name="Model">The model preset it trains (its layout and step time come from the planner), or null for a trace pod (data-parallel only, duration from the trace).</param>
/// <param name="GpuType">The GPU type it needs, or null for any.</param>
/// <param name="GpuMilli">For a share of one device (<c>resources.gpuFraction</c>; <paramref name="Gpus"/> is then 1),
/// its thousandths; null for whole devices.</param>
internal sealed record WorkloadJob(
    string JobId,
    double ArrivalSeconds,
    int Gpus,
    double WorkSeconds,
    string Queue = "default",
    int Priority = 0,
    string? Model = null,
    string? GpuType = null,
    int? GpuMilli = null);
