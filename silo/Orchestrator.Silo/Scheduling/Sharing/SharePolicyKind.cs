namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>How shares of devices are packed (configuration <c>Orchestrator:Scheduler:GpuSharingPolicy</c>).</summary>
internal enum SharePolicyKind
{
    /// <summary>Fragmentation Gradient Descent (the default).</summary>
    Fgd,
    BestFit,
    FirstFit,
    Random,
    DotProduct,
}
