namespace Orchestrator.Contracts.Workers;

/// <summary>The control plane's answer to a worker's report.</summary>
[GenerateSerializer]
public enum ReportAck
{
    /// <summary>Accepted; carry on.</summary>
    Continue = 0,

    /// <summary>The attempt is over (cancelled, preempted, superseded by a newer attempt): stop now.</summary>
    Stop = 1,

    /// <summary>The attempt is being preempted: save a checkpoint at the next step boundary, report it, then stop.</summary>
    CheckpointAndStop = 2,
}
