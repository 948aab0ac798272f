namespace Orchestrator.Silo.Lineage;

/// <summary>A tag of a model pointing at one of its versions.</summary>
[GenerateSerializer, Immutable]
internal sealed record TagRecord([property: Id(0)] string Name, [property: Id(1)] string Tag, [property: Id(2)] int Version);
