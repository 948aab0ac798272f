namespace Orchestrator.Contracts.Lineage;

/// <summary>Which tensors differ between two model versions and by how much.</summary>
/// <param name="First">Version A, <c>NAME@N</c>.</param>
/// <param name="Second">Version B, <c>NAME@N</c>.</param>
/// <param name="Tensors">Every tensor of either version, by name.</param>
/// <param name="BytesRead">Tensor bytes read to compare (tensors whose chunks are identical are not read).</param>
[GenerateSerializer, Immutable]
public sealed record ModelDiffView(
    [property: Id(0)] string First,
    [property: Id(1)] string Second,
    [property: Id(2)] IReadOnlyList<TensorDifference> Tensors,
    [property: Id(3)] long BytesRead)
{
    /// <summary>Sum of <see cref="TensorDifference.ChangedBytes"/>.</summary>
    public long ChangedBytes => Tensors.Sum(t => t.ChangedBytes);
}
