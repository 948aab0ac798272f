namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>A <see cref="SimulatedDaemon"/> that expires finished jobs after two seconds and pages its job index by two.</summary>
public sealed class RetentionDaemon : SimulatedDaemon
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Orchestrator:Scheduler:PassInterval"] = "00:00:00.250",
        ["Orchestrator:Jobs:FinishedTtl"] = "00:00:02",
        ["Orchestrator:Jobs:IndexPageSize"] = "2",
    };
}
