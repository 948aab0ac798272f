namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Host memory whose start is aligned for direct I/O and whose length is a multiple of the alignment, so a chunk
/// copied into it can be written to the device without another copy. It lives on the pinned object heap: its address
/// never changes, which the alignment relies on.
/// </summary>
internal sealed class AlignedBuffer
{
    private readonly byte[] _array;
    private readonly int _offset;

    /// <summary>Allocates (without clearing) room for at least <paramref name="length"/> bytes.</summary>
    public unsafe AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = DirectIo.RoundUp(length);
        _array = GC.AllocateUninitializedArray<byte>(Length + DirectIo.Alignment - 1, pinned: true);
        fixed (byte* start = _array)
        {
            _offset = (int)((DirectIo.Alignment - (nuint)start % DirectIo.Alignment) % DirectIo.Alignment);
        }
    }

    /// <summary>Usable bytes: the requested length rounded up to the alignment.</summary>
    public int Length { get; }

    public Memory<byte> Memory => _array.AsMemory(_offset, Length);

    public Span<byte> Span => _array.AsSpan(_offset, Length);
}
