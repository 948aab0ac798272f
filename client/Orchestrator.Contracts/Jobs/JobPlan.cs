namespace Orchestrator.Contracts.Jobs;

/// <summary>The layout chosen for an attempt and what the planner predicted for it.</summary>
/// <param name="Tensor">Tensor-parallel size.</param>
/// <param name="Pipeline">Pipeline-parallel size.</param>
/// <param name="Data">Data-parallel size.</param>
/// <param name="Expert">Expert-parallel size.</param>
/// <param name="VirtualStages">Model chunks per pipeline rank.</param>
/// <param name="MicroBatch">Samples per micro-batch.</param>
/// <param name="Schedule">Pipeline schedule.</param>
/// <param name="Recompute">Activation recomputation mode.</param>
/// <param name="SequenceParallel">Sequence parallelism on.</param>
/// <param name="PredictedStepSeconds">Predicted seconds per iteration, or null when not predicted (CPU devices).</param>
/// <param name="Source">How it was chosen: <c>fixed</c> (from the spec) or <c>planner</c>.</param>
/// <param name="Context">Context-parallel size (ranks that split every sequence); more than 1 only for a user's runtime.</param>
[GenerateSerializer, Immutable]
public sealed record JobPlan(
    [property: Id(0)] int Tensor,
    [property: Id(1)] int Pipeline,
    [property: Id(2)] int Data,
    [property: Id(3)] int Expert,
    [property: Id(4)] int VirtualStages,
    [property: Id(5)] int MicroBatch,
    [property: Id(6)] string Schedule,
    [property: Id(7)] string Recompute,
    [property: Id(8)] bool SequenceParallel,
    [property: Id(9)] double? PredictedStepSeconds,
    [property: Id(10)] string Source,
    [property: Id(11)] int Context = 1)
{
    /// <summary>Ranks (devices) the plan occupies.</summary>
    public int WorldSize => Tensor * Context * Pipeline * Data;
}
