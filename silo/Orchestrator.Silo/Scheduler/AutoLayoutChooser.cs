using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Layout;
using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Scheduler;

/// <summary>
/// Picks a layout for a <c>parallelism: auto</c> job given how many devices can be had: the most data-parallel
/// replicas (up to the job's ask, down to its minimum) that split the global batch evenly.
/// </summary>
internal static class AutoLayoutChooser
{
    public static LayoutChooser For(TrainingJobSpec spec) => available =>
    {
        for (var devices = Math.Min(available, spec.Resources.Gpus); devices >= spec.Resources.EffectiveMinGpus; devices--)
        {
            if (spec.Training.GlobalBatch % devices == 0) return new LayoutChoice(new ParallelLayout(1, 1, devices), null);
        }

        return null;
    };
}
