using System.Globalization;
using Orchestrator.Contracts.Workers;

namespace Orchestrator.Silo.Execution.External;

/// <summary>
/// The environment a user's training program is started with on one node: the variables torchrun's agent sets
/// (so <c>torch.distributed.init_process_group("env://")</c> and <c>torchrun</c> itself work unchanged), the plan the
/// control plane chose, and the user's own <c>runtime.env</c>. Documented in docs/runtime.md.
/// </summary>
internal static class TrainerEnvironment
{
    /// <summary>Every variable for the program on <paramref name="assignment"/>'s node.</summary>
    /// <param name="assignment">The node's part of the attempt.</param>
    /// <param name="rendezvous">Where the ranks meet.</param>
    /// <param name="mps">Whether a GPU share runs under CUDA MPS (its fraction is then also its thread percentage).</param>
    public static IReadOnlyDictionary<string, string> For(WorkerAssignment assignment, TrainerRendezvous rendezvous, bool mps)
    {
        var spec = assignment.Spec;
        var plan = assignment.Plan;
        var localRanks = assignment.Ranks.Count;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);

        // The user's variables first, so the control plane's win where a spec slipped past validation.
        foreach (var (name, value) in spec.Runtime.Env ?? new Dictionary<string, string>()) environment[name] = value;

        Set("MASTER_ADDR", rendezvous.MasterAddress);
        Set("MASTER_PORT", Text(rendezvous.MasterPort));
        Set("WORLD_SIZE", Text(assignment.WorldSize));
        Set("NODE_RANK", Text(rendezvous.NodeRank));
        Set("NNODES", Text(rendezvous.NodeCount));
        Set("NPROC_PER_NODE", Text(localRanks));
        Set("LOCAL_WORLD_SIZE", Text(localRanks));

        // torchrun reads its own options from PET_* variables, so `torchrun train.py` needs no flags.
        Set("PET_MASTER_ADDR", rendezvous.MasterAddress);
        Set("PET_MASTER_PORT", Text(rendezvous.MasterPort));
        Set("PET_NNODES", Text(rendezvous.NodeCount));
        Set("PET_NODE_RANK", Text(rendezvous.NodeRank));
        Set("PET_NPROC_PER_NODE", Text(localRanks));

        // With one rank per node the program is that rank: it can call init_process_group without torchrun.
        if (localRanks == 1)
        {
            Set("RANK", Text(assignment.Ranks[0].Rank));
            Set("LOCAL_RANK", "0");
        }

        Set("ORCH_JOB", assignment.JobId);
        Set("ORCH_ATTEMPT", Text(assignment.Attempt));
        Set("ORCH_NODE", assignment.Node);
        Set("ORCH_DEVICES", string.Join(',', assignment.Ranks.Select(r => r.DeviceId)));
        Set("ORCH_TENSOR", Text(plan.Tensor));
        Set("ORCH_CONTEXT", Text(plan.Context));
        Set("ORCH_PIPELINE", Text(plan.Pipeline));
        Set("ORCH_DATA", Text(plan.Data));
        Set("ORCH_EXPERT", Text(plan.Expert));
        Set("ORCH_VIRTUAL_STAGES", Text(plan.VirtualStages));
        Set("ORCH_MICRO_BATCH", Text(plan.MicroBatch));
        Set("ORCH_SCHEDULE", plan.Schedule);
        Set("ORCH_GLOBAL_BATCH", Text(spec.Training.GlobalBatch));
        Set("ORCH_STEPS", Text(spec.Training.Steps));
        Set("ORCH_START_STEP", Text(assignment.StartStep));
        if (assignment.CheckpointRoot is { } root) Set("ORCH_CHECKPOINT_DIR", CheckpointDirectory(root, assignment.JobId));
        foreach (var (name, value) in GpuShareEnvironment.For(spec, mps)) Set(name, value);
        return environment;

        void Set(string name, string value) => environment[name] = value;
    }

    /// <summary>The job's own folder under the checkpoint root: the program writes and reads its checkpoints there itself.</summary>
    public static string CheckpointDirectory(string root, string jobId) => Path.Combine(root, "external", jobId);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
