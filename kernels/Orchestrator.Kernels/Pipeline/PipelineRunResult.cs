namespace Orchestrator.Kernels.Pipeline;

/// <summary>What one rank saw while running its program once.</summary>
/// <param name="MicroBatchLosses">
/// Micro-batch index -> mean loss, for the micro-batches whose last virtual stage is on this rank (empty elsewhere).
/// </param>
/// <param name="MaxInFlight">The most micro-batch chunks whose activations this rank held at once.</param>
public sealed record PipelineRunResult(IReadOnlyDictionary<int, double> MicroBatchLosses, int MaxInFlight);
