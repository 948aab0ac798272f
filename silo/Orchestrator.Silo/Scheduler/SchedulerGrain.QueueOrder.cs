using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;

namespace Orchestrator.Silo.Scheduler;

/// <summary>The waiting order <c>orch queue</c> shows: the order the next pass would try the jobs in.</summary>
internal sealed partial class SchedulerGrain
{
    /// <summary>
    /// Waiting job ids by position. Under fair share, the policy's own draw (<see cref="NextPassOrder"/>) over the jobs
    /// a pass would consider now, then those it would not yet (in restart backoff, or waiting for their victims) in
    /// priority order; otherwise priority, then submit order, which is what the pass does.
    /// </summary>
    private IEnumerable<string> WaitingOrder()
    {
        var submitted = _queues.Ordered().Select(q => q.JobId);
        if (PassOptions.Policy != SchedulingPolicyKind.FairShare || _topology is null) return submitted;
        var next = NextPassOrder.Of(PassOptions.Policy, PassWaiting(Now), _book, Holders()).Select(j => j.JobId).ToList();
        var tried = next.ToHashSet(StringComparer.Ordinal);
        return next.Concat(submitted.Where(id => !tried.Contains(id)));
    }
}
