namespace Orchestrator.Kernels.Pipeline;

/// <summary>A generated schedule: for each pipeline rank, its ordered program.</summary>
/// <param name="Options">What it was generated for.</param>
/// <param name="Ranks">Index r holds pipeline rank r's operations in execution order.</param>
public sealed record PipelineSchedule(PipelineScheduleOptions Options, IReadOnlyList<IReadOnlyList<PipelineOperation>> Ranks)
{
    /// <summary>Pipeline rank <paramref name="stage"/>'s operations in execution order.</summary>
    public IReadOnlyList<PipelineOperation> For(int stage) => Ranks[stage];

    /// <summary>The virtual stage (position in the whole model) of <paramref name="chunk"/> on <paramref name="stage"/>.</summary>
    public int VirtualStageOf(int stage, int chunk) => chunk * Options.Stages + stage;

    /// <summary>Virtual stages in the model: p·v.</summary>
    public int VirtualStageCount => Options.Stages * Options.VirtualStages;
}
