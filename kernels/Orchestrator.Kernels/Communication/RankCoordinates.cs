namespace Orchestrator.Kernels.Communication;

/// <summary>A rank's position in the <see cref="ParallelGrid"/>.</summary>
/// <param name="Tensor">Index within its tensor-parallel group.</param>
/// <param name="Pipeline">Its pipeline stage.</param>
/// <param name="Data">Its data-parallel replica.</param>
public readonly record struct RankCoordinates(int Tensor, int Pipeline, int Data);
