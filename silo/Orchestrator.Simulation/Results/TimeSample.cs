namespace Orchestrator.Simulation.Results;

/// <summary>The cluster at one sampled moment.</summary>
/// <param name="Seconds">Virtual time.</param>
/// <param name="AllocatedGpus">Devices held by jobs (draining victims included); a GPU share counts as its fraction.</param>
/// <param name="OutOfService">Failed devices not yet repaired.</param>
/// <param name="Waiting">Jobs in the queues.</param>
/// <param name="Running">Jobs holding devices.</param>
/// <param name="Fragmentation">Share of free in-service devices on nodes that are partly busy (they cannot take a whole-node tensor group).</param>
/// <param name="GpusByQueue">Devices held per queue, shares by their fraction.</param>
/// <param name="WaitingQueues">Queues with at least one waiting job.</param>
internal sealed record TimeSample(
    double Seconds,
    double AllocatedGpus,
    int OutOfService,
    int Waiting,
    int Running,
    double Fragmentation,
    IReadOnlyDictionary<string, double> GpusByQueue,
    IReadOnlySet<string> WaitingQueues);
