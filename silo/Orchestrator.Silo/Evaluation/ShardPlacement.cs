using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Jobs;

namespace Orchestrator.Silo.Evaluation;

/// <summary>
/// What a shard asks the scheduler for, in the scheduler's terms: a fixed gang of <c>resources.gpus</c> devices in one
/// tensor-parallel group, in the run's queue at its priority. The scheduler never prices it with the planner (it is
/// not training); the model shape is carried only for the record.
/// </summary>
internal static class ShardPlacement
{
    private static readonly ModelSpec NoArchitecture = new("gpt", 1, 1, 1, 1, 1);

    public static TrainingJobSpec Spec(EvaluationJobSpec spec, string name, ModelSpec? architecture) => new(
        new JobMetadata(name, spec.Metadata.Queue, spec.Metadata.Priority, spec.Metadata.PriorityClass),
        architecture ?? NoArchitecture,
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(1, 1, new OptimizerSpec()),
        new ParallelismSpec(false, Tensor: spec.Resources.Gpus),
        spec.Resources,
        new CheckpointSpec(),
        new RuntimeSpec(),
        new RestartPolicySpec(spec.ShardAttempts));

    /// <summary>The cluster checks of training on one shard's gang (device type known and present, enough devices, a gang inside one NVLink domain).</summary>
    public static IEnumerable<SpecError> Check(EvaluationJobSpec spec, InventorySnapshot? inventory) =>
        SubmissionValidator.ValidateAgainstCluster(Spec(spec, spec.Metadata.Name, null), inventory)
            .Where(e => e.Path.StartsWith("spec.resources", StringComparison.Ordinal) || e.Path == "spec.parallelism.tensor")
            .Select(e => e.Path == "spec.parallelism.tensor" ? e with { Path = "spec.resources.gpus" } : e);
}
