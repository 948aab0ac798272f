namespace Orchestrator.Contracts.Lineage;

/// <summary>The whole lineage graph: every model version, every edge, and storage per family.</summary>
/// <param name="Versions">Versions, ordered by family tree (parents before children).</param>
/// <param name="Edges">Every edge, including evaluations.</param>
/// <param name="Families">Logical and stored bytes of each family.</param>
[GenerateSerializer, Immutable]
public sealed record ModelRegistryView(
    [property: Id(0)] IReadOnlyList<ModelVersionView> Versions,
    [property: Id(1)] IReadOnlyList<LineageEdge> Edges,
    [property: Id(2)] IReadOnlyList<FamilyStorage> Families);
