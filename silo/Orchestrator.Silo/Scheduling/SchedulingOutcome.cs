namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// A pass's decisions, in the order the grain applies them: every preemption comes before the start it makes room
/// for. Each waiting job gets exactly one <see cref="StartDecision"/> or one <see cref="WaitDecision"/>.
/// </summary>
internal sealed record SchedulingOutcome(IReadOnlyList<SchedulingDecision> Decisions)
{
    public IEnumerable<StartDecision> Starts => Decisions.OfType<StartDecision>();

    public IEnumerable<PreemptDecision> Preemptions => Decisions.OfType<PreemptDecision>();

    public IEnumerable<WaitDecision> Waits => Decisions.OfType<WaitDecision>();

    /// <summary>The head job's reservation, or null when no job is blocked.</summary>
    public ReserveDecision? Reservation => Decisions.OfType<ReserveDecision>().SingleOrDefault();
}
