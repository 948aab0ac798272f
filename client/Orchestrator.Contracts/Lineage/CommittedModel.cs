using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Lineage;

/// <summary>A job's finished model: the checkpoint it committed at its last step.</summary>
/// <param name="Job">The job.</param>
/// <param name="Spec">The job's spec (its name names the model; <c>model.from</c> its parent; re-run by cascades).</param>
/// <param name="Step">The checkpoint's step.</param>
/// <param name="Attempt">The attempt that saved it.</param>
/// <param name="Layout">The layout it was saved under.</param>
/// <param name="FinalLoss">The job's last reported training loss, when known.</param>
[GenerateSerializer, Immutable]
public sealed record CommittedModel(
    [property: Id(0)] string Job,
    [property: Id(1)] TrainingJobSpec Spec,
    [property: Id(2)] long Step,
    [property: Id(3)] int Attempt,
    [property: Id(4)] string Layout,
    [property: Id(5)] double? FinalLoss);
