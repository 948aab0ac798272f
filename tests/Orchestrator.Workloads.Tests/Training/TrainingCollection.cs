namespace Orchestrator.Workloads.Tests.Training;

/// <summary>
/// Tests that train. They run one at a time: a training run sets torch's process-wide thread count for its ranks,
/// and the math library's results depend on it in the last bits, which the checkpoint tests compare.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "training";
}
