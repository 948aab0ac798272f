namespace Orchestrator.Simulation.Engine;

/// <summary>What a <see cref="SimulationEvent"/> is.</summary>
internal enum EventKind
{
    /// <summary>A job is submitted.</summary>
    Arrival,

    /// <summary>A running attempt finishes its last step.</summary>
    Completion,

    /// <summary>A preempted attempt has saved its checkpoint and releases its devices.</summary>
    Released,

    /// <summary>A job's restart backoff is over: it may be placed again.</summary>
    Eligible,

    /// <summary>A device fails (the next one is drawn when this one happens).</summary>
    DeviceFailure,

    /// <summary>A failed device is back in service.</summary>
    DeviceRepaired,

    /// <summary>Record allocation, queue length and fragmentation for the time series.</summary>
    Sample,
}
