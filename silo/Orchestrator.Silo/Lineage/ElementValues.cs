using System.Buffers.Binary;
using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Silo.Lineage;

/// <summary>
/// Reads checkpoint elements (little-endian, as the store keeps them) as doubles, for every element type the store
/// knows, without a tensor library: the control plane compares models but never references TorchSharp.
/// </summary>
internal static class ElementValues
{
    public static double Read(ReadOnlySpan<byte> element, TensorDataType type) => type switch
    {
        TensorDataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(element),
        TensorDataType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(element),
        TensorDataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(element),
        // bfloat16 is the upper half of a float32.
        TensorDataType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(element) << 16),
        TensorDataType.Int8 => (sbyte)element[0],
        TensorDataType.UInt8 or TensorDataType.Bool => element[0],
        TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(element),
        TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(element),
        _ => throw new NotSupportedException($"element type {type} is not known to the model diff"),
    };
}
