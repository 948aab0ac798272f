namespace Orchestrator.Kernels.Pipeline;

/// <summary>Names one point-to-point message between pipeline ranks.</summary>
/// <param name="Gradient">True for a gradient travelling backward, false for an activation travelling forward.</param>
/// <param name="MicroBatch">The micro-batch it belongs to.</param>
/// <param name="VirtualStage">The virtual stage it is addressed to.</param>
public readonly record struct PipelineMessageKey(bool Gradient, int MicroBatch, int VirtualStage);
