using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Scheduling;

/// <summary>A queued job as one scheduling pass sees it.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="Sequence">Submit order; earlier first among equal priorities.</param>
/// <param name="Demand">The devices it needs.</param>
/// <param name="EstimatedRuntime">How long it will hold its devices once started (for a fixed layout), or null when
/// unknown; an automatic job's estimate comes from its <see cref="LayoutChoice"/>.</param>
/// <param name="AvoidDevices">Devices never to give it; null for none.</param>
/// <param name="PreferToAvoid">Devices to give it only when nothing else fits (where its last attempt failed); null for none.</param>
/// <param name="Queue">The queue it waits in (<c>metadata.queue</c>); charged against that queue's quota when the
/// pass has a <see cref="Policies.QuotaBook"/>.</param>
/// <param name="Preemption">What it may stop to make room (its priority class's policy).</param>
/// <param name="Throughput">Predicted samples per second on each device type it could run on (the planner's), for the
/// heterogeneity-aware policy; null when unknown.</param>
/// <param name="Planned">For a preemptor whose victims have released their devices: the size and type its preemption
/// was planned at; the pass considers it first and starts it no larger. Null for any other job.</param>
internal sealed record WaitingJob(
    string JobId,
    int Priority,
    long Sequence,
    JobDemand Demand,
    TimeSpan? EstimatedRuntime,
    IReadOnlySet<string>? AvoidDevices = null,
    IReadOnlySet<string>? PreferToAvoid = null,
    string Queue = "default",
    PreemptionPolicy Preemption = PreemptionPolicy.LowerPriority,
    IReadOnlyDictionary<string, double>? Throughput = null,
    PlannedStart? Planned = null);
