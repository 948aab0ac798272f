namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>A <see cref="SimulatedDaemon"/> whose preemptors wait for their victims for ten minutes, so a test decides
/// when a victim releases its devices (the base fixture takes them back after three seconds).</summary>
public sealed class PatientPreemptionDaemon : SimulatedDaemon
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Orchestrator:Scheduler:PassInterval"] = "00:00:00.250",
        ["Orchestrator:Scheduler:PreemptionTimeout"] = "00:10:00",
        ["Orchestrator:Checkpointing:PreemptionGracePeriod"] = "00:10:00",
    };
}
