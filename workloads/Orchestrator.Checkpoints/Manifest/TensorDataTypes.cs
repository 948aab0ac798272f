namespace Orchestrator.Checkpoints.Manifest;

/// <summary>Sizes of <see cref="TensorDataType"/> elements.</summary>
public static class TensorDataTypes
{
    /// <summary>Bytes one element occupies.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="TensorDataType"/>.</exception>
    public static int ElementSize(this TensorDataType dataType) => dataType switch
    {
        TensorDataType.Float64 or TensorDataType.Int64 => 8,
        TensorDataType.Float32 or TensorDataType.Int32 => 4,
        TensorDataType.Float16 or TensorDataType.BFloat16 => 2,
        TensorDataType.Int8 or TensorDataType.UInt8 or TensorDataType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, $"unknown tensor data type {(int)dataType}; allowed: {string.Join(", ", Enum.GetNames<TensorDataType>())}"),
    };
}
