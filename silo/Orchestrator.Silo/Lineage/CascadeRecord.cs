using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>A started cascade as persisted.</summary>
[GenerateSerializer]
internal sealed class CascadeRecord
{
    [Id(0)] public int Id { get; set; }

    [Id(1)] public string Trigger { get; set; } = "";

    [Id(2)] public string Previous { get; set; } = "";

    [Id(3)] public List<CascadeStepRecord> Steps { get; set; } = [];

    public CascadePlan ToView() => new(Id, Trigger, Previous, Steps.Select(s => s.ToView()).ToList());
}
