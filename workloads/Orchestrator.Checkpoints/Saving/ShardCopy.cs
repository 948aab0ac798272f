namespace Orchestrator.Checkpoints.Saving;

/// <summary>Copies a shard's bytes from <paramref name="sourceOffset"/> into <paramref name="destination"/>, filling it.</summary>
/// <param name="sourceOffset">Byte offset within the shard's row-major bytes.</param>
/// <param name="destination">Host memory to fill completely.</param>
public delegate void ShardCopy(long sourceOffset, Span<byte> destination);
