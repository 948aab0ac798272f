namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>One task shape of a <see cref="TargetWorkload"/> and the share of tasks that have it (popularity, 0 to 1).</summary>
internal sealed record WorkloadShape(ShareTask Task, double Popularity);
