namespace Orchestrator.Silo.Lineage;

/// <summary>The persisted state of the lineage grain: the graph, tags, evaluations, job starts and cascades.</summary>
[GenerateSerializer]
internal sealed class LineageRecord
{
    /// <summary>Every version, in registration order.</summary>
    [Id(0)] public List<ModelVersionRecord> Versions { get; set; } = [];

    /// <summary>Job id to the version (<c>NAME@N</c>) it starts from, fixed on its first start.</summary>
    [Id(1)] public Dictionary<string, string> JobStarts { get; set; } = [];

    [Id(2)] public List<EvaluationRecord> Evaluations { get; set; } = [];

    [Id(3)] public List<TagRecord> Tags { get; set; } = [];

    [Id(4)] public List<CascadeRecord> Cascades { get; set; } = [];
}
