namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>A <see cref="SimulatedDaemon"/> whose scheduler runs the fair-share policy.</summary>
public sealed class FairShareDaemon : SimulatedDaemon
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Orchestrator:Scheduler:PassInterval"] = "00:00:00.250",
        ["Orchestrator:Scheduler:Policy"] = "fair-share",
    };
}
