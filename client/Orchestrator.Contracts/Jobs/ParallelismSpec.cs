namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// The parallel layout a user asked for: <see cref="Auto"/> (the planner chooses) or fixed sizes.
/// </summary>
/// <param name="Auto">True when the planner chooses the layout; the sizes below are then ignored.</param>
/// <param name="Tensor">Tensor-parallel size.</param>
/// <param name="Pipeline">Pipeline-parallel size.</param>
/// <param name="Data">Data-parallel size.</param>
/// <param name="Expert">Expert-parallel size (drawn from the data-parallel ranks).</param>
/// <param name="VirtualStages">Model chunks per pipeline rank (interleaved schedule).</param>
/// <param name="Schedule">Pipeline schedule: <c>gpipe</c>, <c>1f1b</c>, <c>interleaved</c> or <c>pipedream-2bw</c>.</param>
/// <param name="MicroBatch">Samples per micro-batch; null lets the planner (or, for CPU devices, the runtime) choose.</param>
/// <param name="Recompute">Activation recomputation: <c>none</c>, <c>selective</c> or <c>full</c>.</param>
/// <param name="SequenceParallel">Sequence parallelism inside tensor-parallel groups.</param>
/// <param name="Context">
/// Context-parallel size: ranks that split every sequence and pass keys and values around a ring. The planner
/// plans it (<c>orch plan</c>); a fixed layout may ask for more than 1 only with a user's runtime
/// (<c>runtime.image</c> or <c>runtime.command</c>, which gets it as <c>ORCH_CONTEXT</c>): the built-in runtime does not run it.
/// </param>
[GenerateSerializer, Immutable]
public sealed record ParallelismSpec(
    [property: Id(0)] bool Auto,
    [property: Id(1)] int Tensor = 1,
    [property: Id(2)] int Pipeline = 1,
    [property: Id(3)] int Data = 1,
    [property: Id(4)] int Expert = 1,
    [property: Id(5)] int VirtualStages = 1,
    [property: Id(6)] string Schedule = "1f1b",
    [property: Id(7)] int? MicroBatch = null,
    [property: Id(8)] string Recompute = "none",
    [property: Id(9)] bool SequenceParallel = false,
    [property: Id(20)] int Context = 1)
{
    /// <summary>Tensor x context x pipeline x data: the GPUs a fixed layout needs.</summary>
    public int WorldSize => Tensor * Context * Pipeline * Data;

    /// <summary>The planner chooses everything.</summary>
    public static ParallelismSpec Automatic { get; } = new(Auto: true);
}
