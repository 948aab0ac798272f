namespace Orchestrator.Contracts.Lineage;

/// <summary>How one tensor differs between two model versions A and B.</summary>
/// <param name="Name">The tensor.</param>
/// <param name="Kind">Same, changed, present in one only, or reshaped.</param>
/// <param name="Shape">Its shape in A (in B when only B has it), e.g. <c>[768, 2304]</c>.</param>
/// <param name="DataType">Its element type, e.g. <c>Float32</c>.</param>
/// <param name="Bytes">Its size in bytes (A's, or B's when only B has it).</param>
/// <param name="ChangedBytes">Bytes of the elements that differ (element count times element size); all of them unless compared.</param>
/// <param name="RelativeL2">‖B − A‖₂ / ‖A‖₂ over the tensor's elements; 0 when equal, infinity when A is all zero and B is not, NaN when not compared.</param>
[GenerateSerializer, Immutable]
public sealed record TensorDifference(
    [property: Id(0)] string Name,
    [property: Id(1)] TensorDifferenceKind Kind,
    [property: Id(2)] string Shape,
    [property: Id(3)] string DataType,
    [property: Id(4)] long Bytes,
    [property: Id(5)] long ChangedBytes,
    [property: Id(6)] double RelativeL2);
