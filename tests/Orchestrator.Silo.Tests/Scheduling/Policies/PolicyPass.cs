using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling.Policies;

/// <summary>Builders for policy tests: jobs of a queue and class, running jobs of a type, and one pass.</summary>
internal static class PolicyPass
{
    public static WaitingJob Queued(string id, string queue, int devices, int priority = 0, long sequence = 0,
        PreemptionPolicy preemption = PreemptionPolicy.LowerPriority, string? gpuType = null) =>
        Waiting(id, devices, priority, sequence, gpuType: gpuType) with { Queue = queue, Preemption = preemption };

    public static RunningJob Holding(FakeCapacity capacity, string id, string queue, IReadOnlyList<string> devices, string gpuType,
        int priority = 0, DateTimeOffset? startedAt = null) =>
        Running(capacity, id, devices, priority, startedAt) with { Queue = queue, GpuType = gpuType };

    public static SchedulingOutcome Run(FakeCapacity capacity, SchedulingPolicyKind policy, IEnumerable<QueueSpec>? queues,
        IReadOnlyList<RunningJob> running, params WaitingJob[] waiting) =>
        SchedulingPass.Run(new SchedulingInputs(waiting, running, capacity, null, new SchedulingOptions { Policy = policy },
            queues is null ? null : new QuotaBook(queues)), T0);
}
