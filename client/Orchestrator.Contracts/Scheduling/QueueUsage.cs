namespace Orchestrator.Contracts.Scheduling;

/// <summary>One queue as <c>orch queue</c> shows it: its quota, what it uses and borrows, and what waits in it.</summary>
/// <param name="Name">Queue name.</param>
/// <param name="Defined">True when a Queue document defines it (else it is only a label on jobs, without quota).</param>
/// <param name="Cohort">Its cohort, or null.</param>
/// <param name="FairShareWeight">Its fair-share weight.</param>
/// <param name="Types">Quota and usage per device type.</param>
/// <param name="Waiting">Jobs waiting in it.</param>
/// <param name="Running">Jobs of it holding devices.</param>
[GenerateSerializer, Immutable]
public sealed record QueueUsage(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Defined,
    [property: Id(2)] string? Cohort,
    [property: Id(3)] double FairShareWeight,
    [property: Id(4)] IReadOnlyList<QueueTypeUsage> Types,
    [property: Id(5)] int Waiting,
    [property: Id(6)] int Running);
