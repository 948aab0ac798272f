namespace Orchestrator.Silo.Jobs;

/// <summary>Where workers checkpoint and how the control plane uses checkpoints (section <c>Orchestrator:Checkpointing</c>).</summary>
internal sealed class CheckpointingOptions
{
    /// <summary>The checkpoint store's directory; every worker must see the same one (local disk in embedded mode, a shared volume on a cluster).</summary>
    public string Root { get; set; } = "";

    /// <summary>Mean time between failures that <c>checkpoint.every: auto</c> assumes until the job has failed at least once (then its observed rate is used).</summary>
    public TimeSpan MeanTimeBetweenFailures { get; set; } = TimeSpan.FromHours(3);

    /// <summary>How long a preempted job's workers get to save a checkpoint before they are stopped regardless.</summary>
    public TimeSpan PreemptionGracePeriod { get; set; } = TimeSpan.FromSeconds(60);
}
