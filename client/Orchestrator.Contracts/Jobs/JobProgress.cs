namespace Orchestrator.Contracts.Jobs;

/// <summary>The latest training progress of a job.</summary>
/// <param name="Step">Last completed optimizer step.</param>
/// <param name="TotalSteps">Steps the job runs in all.</param>
/// <param name="Loss">Loss at that step.</param>
/// <param name="FirstLoss">Loss of the first reported step, so a watcher sees it fall.</param>
/// <param name="TokensPerSecond">Training throughput over the job's devices.</param>
/// <param name="StepSeconds">Wall time of the last step.</param>
/// <param name="UpdatedAt">When the step was reported.</param>
/// <param name="ModelFlopsUtilization">MFU of the last step; null when the devices' peak is unknown.</param>
[GenerateSerializer, Immutable]
public sealed record JobProgress(
    [property: Id(0)] long Step,
    [property: Id(1)] long TotalSteps,
    [property: Id(2)] double Loss,
    [property: Id(3)] double FirstLoss,
    [property: Id(4)] double TokensPerSecond,
    [property: Id(5)] double StepSeconds,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] double? ModelFlopsUtilization = null)
{
    /// <summary>Estimated time to finish at the last step's pace.</summary>
    public TimeSpan Eta => TimeSpan.FromSeconds(Math.Max(0, TotalSteps - Step) * StepSeconds);
}
