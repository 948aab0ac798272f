namespace Orchestrator.Contracts.Lineage;

/// <summary>Storage of one model family (a root version and every version derived from it), from the store's chunk sharing.</summary>
/// <param name="Root">The family's root version, <c>NAME@N</c>.</param>
/// <param name="Versions">Versions in the family.</param>
/// <param name="LogicalBytes">Sum of the versions' tensor bytes: what storing each in full would take.</param>
/// <param name="StoredBytes">Bytes of the distinct chunks the versions reference: what the store holds for them.</param>
[GenerateSerializer, Immutable]
public sealed record FamilyStorage(
    [property: Id(0)] string Root,
    [property: Id(1)] int Versions,
    [property: Id(2)] long LogicalBytes,
    [property: Id(3)] long StoredBytes)
{
    /// <summary>Logical over stored bytes; 1 when nothing is stored.</summary>
    public double Ratio => StoredBytes == 0 ? 1.0 : (double)LogicalBytes / StoredBytes;
}
