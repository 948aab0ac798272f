using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Saving;

/// <summary>A request to save a checkpoint of a job at a step boundary.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Attempt">The attempt saving it; checked against the fence when committing.</param>
/// <param name="Layout">The current parallel layout.</param>
/// <param name="DataPosition">The data loader's position (samples consumed).</param>
/// <param name="Tensors">What to save.</param>
/// <param name="Metadata">Small non-tensor state; null for none.</param>
public sealed record CheckpointSaveRequest(
    string JobId,
    long Step,
    int Attempt,
    CheckpointLayout Layout,
    long DataPosition,
    IReadOnlyList<TensorSource> Tensors,
    IReadOnlyDictionary<string, string>? Metadata = null)
{
    /// <summary>The identity the checkpoint will have.</summary>
    public CheckpointId Id => new(JobId, Step, Attempt);
}
