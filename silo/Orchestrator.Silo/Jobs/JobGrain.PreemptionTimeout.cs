using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>The job grain's part when the scheduler stops waiting for it to checkpoint after a preemption.</summary>
internal sealed partial class JobGrain
{
    public async Task StopPreemptedAttemptAsync(string reason)
    {
        if (Job.Current is not { Outcome: AttemptOutcome.Running } current || Job.IsTerminal) return;
        Job.Note(Now, $"the scheduler took the devices back: {reason}", current.Number);
        await FinishPreemptionAsync(current.Number, reason);
    }
}
